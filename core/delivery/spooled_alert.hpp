// SPDX-License-Identifier: Apache-2.0
// What an output needs of an alert, as the bytes the spool keeps, and back.
//
// The spool stores an alert once per output and the delivery thread reads it
// back, possibly after a restart, so it must carry everything the plugin's
// vigil_alert view has: the rendered JSON and the view's own fields. The
// encoding is a private blob inside the spool's SQLite file, not a file format:
// a version byte, then fixed-width little-endian integers and strings prefixed
// with their 32-bit length. Decoding checks every length against what is left,
// so truncated or foreign bytes are an error, never a read past the end.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::delivery {

// The bytes of @alert (a view, e.g. RenderedAlert::view()) for the spool.
std::string encode_spooled_alert(const vigil_alert &alert);

// An alert read back from the spool: owns its strings and offers the same
// vigil_alert view an output plugin gets from a RenderedAlert.
class SpooledAlert {
public:
    // Reads the current encoding and the ones before it (what a spool written
    // by an older vigil holds after an upgrade). Refuses a version it does not
    // know, truncated input and trailing bytes, with an error saying which.
    static std::expected<std::unique_ptr<SpooledAlert>, std::string> decode(std::string_view bytes);

    // The view points into this object's members: it must not be copied or moved.
    SpooledAlert(const SpooledAlert &) = delete;
    SpooledAlert &operator=(const SpooledAlert &) = delete;

    // Valid as long as this object is.
    const vigil_alert *view() const { return &view_; }

private:
    struct Ref {
        std::string id;
        std::string name;
    };

    SpooledAlert() = default;
    void build_view();

    std::string json_;
    std::string rule_;
    std::string plugin_;
    std::string summary_;
    uint32_t severity_ = 0;
    uint64_t time_unix_ns_ = 0;
    std::vector<Ref> tactics_;
    std::vector<Ref> techniques_;
    uint32_t pid_ = 0;
    std::string exe_;
    bool has_container_id_ = false;
    std::string container_id_;
    bool has_pod_uid_ = false;
    std::string pod_uid_;
    std::string node_;
    uint64_t repeat_count_ = 0;
    std::string finding_key_; // empty when read from encoding version 1

    std::vector<vigil_attack_ref> tactic_views_;
    std::vector<vigil_attack_ref> technique_views_;
    vigil_alert view_{};
};

} // namespace vigil::delivery
