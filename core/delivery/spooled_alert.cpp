// SPDX-License-Identifier: Apache-2.0
#include "core/delivery/spooled_alert.hpp"

#include <cstring>
#include <limits>

#include <spdlog/fmt/fmt.h>

namespace vigil::delivery {
namespace {

// Bumped when the layout changes; decode reads this one and those before it.
// 1: the ABI 1.2 view. 2: then the finding key (ABI 1.3).
constexpr uint8_t encoding_version = 2;
constexpr uint8_t oldest_encoding_version = 1;
// No alert has more ATT&CK references than this; a larger count is garbage.
constexpr uint32_t most_refs = 4096;

class Writer {
public:
    explicit Writer(std::string &out) : out_(out) {}

    void u8(uint8_t value) { out_.push_back(static_cast<char>(value)); }
    void u32(uint32_t value) { little_endian(value, 4); }
    void u64(uint64_t value) { little_endian(value, 8); }
    void text(std::string_view value)
    {
        u32(static_cast<uint32_t>(std::min<std::size_t>(value.size(), std::numeric_limits<uint32_t>::max())));
        out_.append(value.substr(0, std::numeric_limits<uint32_t>::max()));
    }
    void text(const char *value) { text(value != nullptr ? std::string_view(value) : std::string_view()); }
    // A string the view may leave NULL: a presence byte, then the string.
    void optional_text(const char *value)
    {
        u8(value != nullptr ? 1 : 0);
        if (value != nullptr) {
            text(value);
        }
    }

private:
    void little_endian(uint64_t value, int bytes)
    {
        for (int index = 0; index < bytes; ++index) {
            out_.push_back(static_cast<char>((value >> (8 * index)) & 0xff));
        }
    }
    std::string &out_;
};

class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}

    bool u8(uint8_t &value)
    {
        uint64_t wide = 0;
        bool read = little_endian(wide, 1);
        value = static_cast<uint8_t>(wide);
        return read;
    }
    bool u32(uint32_t &value)
    {
        uint64_t wide = 0;
        bool read = little_endian(wide, 4);
        value = static_cast<uint32_t>(wide);
        return read;
    }
    bool u64(uint64_t &value) { return little_endian(value, 8); }
    bool text(std::string &value)
    {
        uint32_t size = 0;
        if (!u32(size) || size > bytes_.size() - offset_) {
            return fail("a string runs past the end");
        }
        value.assign(bytes_.substr(offset_, size));
        offset_ += size;
        return true;
    }
    bool optional_text(bool &present, std::string &value)
    {
        uint8_t flag = 0;
        if (!u8(flag)) {
            return false;
        }
        if (flag > 1) {
            return fail("a presence flag is neither 0 nor 1");
        }
        present = flag == 1;
        return !present || text(value);
    }

    bool at_end() const { return offset_ == bytes_.size(); }
    std::size_t offset() const { return offset_; }
    const std::string &problem() const { return problem_; }
    bool fail(std::string problem)
    {
        if (problem_.empty()) {
            problem_ = std::move(problem);
        }
        return false;
    }

private:
    bool little_endian(uint64_t &value, int bytes)
    {
        if (bytes_.size() - offset_ < static_cast<std::size_t>(bytes)) {
            return fail("truncated");
        }
        value = 0;
        for (int index = 0; index < bytes; ++index) {
            value |= uint64_t{static_cast<unsigned char>(bytes_[offset_ + index])} << (8 * index);
        }
        offset_ += static_cast<std::size_t>(bytes);
        return true;
    }

    std::string_view bytes_;
    std::size_t offset_ = 0;
    std::string problem_;
};

void write_refs(Writer &writer, const vigil_attack_ref *refs, uint32_t count)
{
    if (refs == nullptr) {
        count = 0;
    }
    writer.u32(count);
    for (uint32_t index = 0; index < count; ++index) {
        writer.text(refs[index].id);
        writer.text(refs[index].name);
    }
}

template <typename Ref> bool read_refs(Reader &reader, std::vector<Ref> &refs)
{
    uint32_t count = 0;
    if (!reader.u32(count)) {
        return false;
    }
    if (count > most_refs) {
        return reader.fail(fmt::format("{} ATT&CK references", count));
    }
    refs.resize(count);
    for (auto &ref : refs) {
        if (!reader.text(ref.id) || !reader.text(ref.name)) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string encode_spooled_alert(const vigil_alert &alert)
{
    std::string out;
    out.reserve(alert.json_size + 256);
    Writer writer(out);
    writer.u8(encoding_version);
    writer.text(alert.json != nullptr ? std::string_view(alert.json, alert.json_size) : std::string_view());
    writer.text(alert.rule);
    writer.text(alert.plugin);
    writer.text(alert.summary);
    writer.u32(alert.severity);
    writer.u64(alert.time_unix_ns);
    write_refs(writer, alert.tactics, alert.tactic_count);
    write_refs(writer, alert.techniques, alert.technique_count);
    writer.u32(alert.pid);
    writer.text(alert.exe);
    writer.optional_text(alert.container_id);
    writer.optional_text(alert.pod_uid);
    writer.text(alert.node);
    writer.u64(alert.repeat_count);
    // The views handed here are the sensor's own (rendered or decoded), always of this ABI.
    writer.text(alert.finding_key);
    return out;
}

std::expected<std::unique_ptr<SpooledAlert>, std::string> SpooledAlert::decode(std::string_view bytes)
{
    std::unique_ptr<SpooledAlert> alert(new SpooledAlert());
    Reader reader(bytes);
    uint8_t version = 0;
    if (!reader.u8(version)) {
        return std::unexpected(std::string("spooled alert is empty"));
    }
    if (version < oldest_encoding_version || version > encoding_version) {
        return std::unexpected(fmt::format("spooled alert has encoding version {}, this vigil reads {} to {}", version,
                                           oldest_encoding_version, encoding_version));
    }
    bool read = reader.text(alert->json_) && reader.text(alert->rule_) && reader.text(alert->plugin_) &&
                reader.text(alert->summary_) && reader.u32(alert->severity_) && reader.u64(alert->time_unix_ns_) &&
                read_refs(reader, alert->tactics_) && read_refs(reader, alert->techniques_) &&
                reader.u32(alert->pid_) && reader.text(alert->exe_) &&
                reader.optional_text(alert->has_container_id_, alert->container_id_) &&
                reader.optional_text(alert->has_pod_uid_, alert->pod_uid_) && reader.text(alert->node_) &&
                reader.u64(alert->repeat_count_) && (version < 2 || reader.text(alert->finding_key_));
    if (!read) {
        return std::unexpected(fmt::format("spooled alert is damaged at byte {} of {}: {}", reader.offset(),
                                           bytes.size(), reader.problem()));
    }
    if (!reader.at_end()) {
        return std::unexpected(fmt::format("spooled alert has {} bytes after its end", bytes.size() - reader.offset()));
    }
    alert->build_view();
    return alert;
}

void SpooledAlert::build_view()
{
    auto views = [](const std::vector<Ref> &refs) {
        std::vector<vigil_attack_ref> out;
        out.reserve(refs.size());
        for (const auto &ref : refs) {
            out.push_back(vigil_attack_ref{sizeof(vigil_attack_ref), ref.id.c_str(), ref.name.c_str()});
        }
        return out;
    };
    tactic_views_ = views(tactics_);
    technique_views_ = views(techniques_);
    view_.struct_size = sizeof(view_);
    view_.json = json_.c_str();
    view_.json_size = json_.size();
    view_.rule = rule_.c_str();
    view_.plugin = plugin_.c_str();
    view_.summary = summary_.c_str();
    view_.severity = severity_;
    view_.time_unix_ns = time_unix_ns_;
    view_.tactics = tactic_views_.data();
    view_.tactic_count = static_cast<uint32_t>(tactic_views_.size());
    view_.techniques = technique_views_.data();
    view_.technique_count = static_cast<uint32_t>(technique_views_.size());
    view_.pid = pid_;
    view_.exe = exe_.c_str();
    view_.container_id = has_container_id_ ? container_id_.c_str() : nullptr;
    view_.pod_uid = has_pod_uid_ ? pod_uid_.c_str() : nullptr;
    view_.node = node_.c_str();
    view_.repeat_count = repeat_count_;
    view_.finding_key = finding_key_.c_str();
}

} // namespace vigil::delivery
