// SPDX-License-Identifier: Apache-2.0
// Where the calls made with one pod's token come from. A bound token names
// its pod (user.extra pod-uid), and a pod keeps one IP address for its life,
// so the first calls made with it show the address it is used from; a later
// call from another address is the token used elsewhere. See README.md for
// what this does not cover.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigil_sa_abuse {

class TokenSources {
public:
    enum class Verdict {
        learning, // one of the pod's first calls: its address is being learned
        known,    // from an address the pod's first calls came from
        foreign,  // from another address, the first time it is seen for this pod
        repeated, // from a foreign address already reported
    };

    TokenSources(std::size_t learn_calls, std::size_t max_pods);

    Verdict observe(std::string_view pod_uid, std::string_view address, uint64_t now_ns);
    // The addresses learned for @pod_uid, for evidence.
    std::vector<std::string> learned(std::string_view pod_uid) const;

    std::size_t forgotten_pods() const { return forgotten_pods_; }

private:
    struct Pod {
        uint64_t last_seen_ns = 0;
        std::size_t calls = 0;
        std::vector<std::string> learned;
        std::vector<std::string> reported;
    };
    void forget_oldest();

    std::size_t learn_calls_;
    std::size_t max_pods_;
    std::unordered_map<std::string, Pod> pods_;
    std::size_t forgotten_pods_ = 0;
};

} // namespace vigil_sa_abuse
