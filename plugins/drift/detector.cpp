// SPDX-License-Identifier: Apache-2.0
#include "detector.hpp"

#include <ctime>

#include "drift_alerts.hpp"
#include "drift_events.h"
#include "profile/collapse.hpp"
#include "profile/entry_text.hpp"

namespace vigil_drift {
namespace {

constexpr uint64_t ns_per_second = 1'000'000'000ull;
// Observations kept per container while its pod is unreported: a container's start-up, not more.
constexpr std::size_t max_waiting = 512;

// Ten years: longer periods are typos, and would overflow the nanoseconds they are kept in.
constexpr int64_t max_seconds = 10 * 365 * 86400;

uint64_t seconds_option(const vigil::Config &config, const char *key)
{
    auto value = config.get_integer(key);
    if (value < 0 || value > max_seconds) {
        throw vigil::ConfigError(std::string(key) + " must be between 0 and " + std::to_string(max_seconds) +
                                 " seconds (ten years), not " + std::to_string(value));
    }
    return static_cast<uint64_t>(value) * ns_per_second;
}

uint64_t count_option(const vigil::Config &config, const char *key)
{
    auto value = config.get_integer(key);
    if (value < 1) {
        throw vigil::ConfigError(std::string(key) + " must be at least 1");
    }
    return static_cast<uint64_t>(value);
}

// True when @pattern is "<write|read> <the directory of @path>/*": every file directly in it.
bool covers_directory(std::string_view path, bool write, std::string_view pattern)
{
    auto slash = path.rfind('/');
    if (slash == std::string_view::npos || slash == 0) {
        return false;
    }
    auto expected = std::string(write ? "write " : "read ") + escape_part(path.substr(0, slash)) + "/*";
    return pattern == expected;
}

} // namespace

Options read_options(const vigil::Config &config)
{
    Options options;
    options.policy.minimum_ns = seconds_option(config, "learning_min_s");
    options.policy.quiet_ns = seconds_option(config, "learning_quiet_s");
    options.policy.maximum_ns = seconds_option(config, "learning_max_s");
    options.policy.relearn_ns = seconds_option(config, "relearn_s");
    options.policy.entry_cap = count_option(config, "max_entries_per_class");
    // One threshold for the three kinds of collapsing: files of a directory, addresses of a network,
    // names under a domain.
    options.policy.directory_children = count_option(config, "collapse_after_children");
    options.policy.network_addresses = options.policy.directory_children;
    options.policy.domain_labels = options.policy.directory_children;
    options.policy.max_versions_per_workload = count_option(config, "max_versions_per_workload");
    options.policy.max_profiles = count_option(config, "max_profiles");
    if (options.policy.maximum_ns < options.policy.minimum_ns) {
        throw vigil::ConfigError("learning_max_s must be at least learning_min_s");
    }
    options.switches = vigil::read_disabled_rules(config, rule_table);
    options.metadata_wait_ns = seconds_option(config, "metadata_wait_s");
    options.save_interval_ns = seconds_option(config, "save_interval_s");
    return options;
}

DriftDetector::DriftDetector(vigil::Host host, const vigil::Config &config)
    : Detector(host), options_(read_options(config)), book_(options_.policy), knowledge_(host)
{
    // Profiles keep wall-clock times, which survive reboots; the host's clock (CLOCK_BOOTTIME)
    // drives them, so that the sensor's clock and a test's fake one both work.
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    auto unix_ns = static_cast<uint64_t>(now.tv_sec) * ns_per_second + static_cast<uint64_t>(now.tv_nsec);
    unix_offset_ns_ = unix_ns - host.now_ns();
    observed_ = host.counter("observations", "behaviours drift fed into profiles");
    drifts_ = host.counter("drift_alerts", "drift alerts raised");
    unstable_classes_ = host.counter("unstable_classes", "classes that grew past max_entries_per_class");
    versions_dropped_ = host.counter("versions_dropped", "old profile versions dropped (max_versions_per_workload)");
    profiles_evicted_ = host.counter("profiles_evicted", "idle profiles evicted (max_profiles)");
    auto directory = host.state_directory();
    if (directory.empty()) {
        host.log(VIGIL_LOG_WARNING, "no state directory: profiles live in memory only and are learned again "
                                    "after every restart ([sensor] state_directory)");
        return;
    }
    store_ = std::make_unique<ProfileStore>(directory + "/profiles.db");
    store_->save_policy(options_.policy);
    auto loaded = store_->load_all();
    auto count = loaded.size();
    book_.adopt(std::move(loaded));
    host.logf(VIGIL_LOG_INFO, "%zu profiles loaded from %s/profiles.db", count, directory.c_str());
}

DriftDetector::~DriftDetector()
{
    try {
        save(unix_now());
    } catch (const std::exception &error) {
        host().logf(VIGIL_LOG_ERROR, "profiles not saved at exit: %s", error.what());
    }
}

void DriftDetector::configure_bpf(const vigil::BpfSetup &setup)
{
    // Opens for writing, and reads under the sensitive prefixes' heads (at most 8 bytes each):
    // /var/run and /run/sec stand for the secrets directories.
    setup.set_open_filter(bpf_object_name, DRIFT_OPEN_WRITE_ACCESS,
                          {"/etc/", "/root/", "/var/run", "/run/sec", "/proc/"}, false);
}

uint64_t DriftDetector::unix_now() const
{
    return host().now_ns() + unix_offset_ns_;
}

DriftDetector::Container &DriftDetector::container_for(const vigil::Event &event)
{
    auto [entry, added] = containers_.try_emplace(event.header().cgroup_id);
    if (added) {
        entry->second.first_seen_ns = event.header().timestamp_ns;
    }
    return entry->second;
}

bool DriftDetector::resolve(Container &container, const vigil_container &facts, uint64_t now_ns)
{
    bool settle = now_ns > container.first_seen_ns + options_.metadata_wait_ns;
    container.identity = workload_identity(facts, settle);
    if (!container.identity) {
        return false;
    }
    if (VIGIL_HAS_FIELD(&facts, vigil_container, started_ns) && facts.started_ns != 0 &&
        facts.started_ns <= host().now_ns()) {
        // The kernel side compares executed files' change times with it (wall clock, as inode times are).
        knowledge_.container_started(facts.cgroup_id, unix_now() - (host().now_ns() - facts.started_ns));
    }
    auto &profile = book_.find_or_create(container.identity->key, container.identity->version, unix_now());
    book_.mark_running(container.identity->key, container.identity->version, true);
    if (VIGIL_HAS_FIELD(&facts, vigil_container, existed_at_start) && facts.existed_at_start != 0) {
        profile.mark_partial("the container started before the sensor");
    }
    if (container.waiting_overflowed) {
        profile.mark_partial("more behaviour than the sensor kept while the pod's metadata was awaited");
    }
    // What the container did while its pod was awaited goes in first, whichever event resolved it:
    // the next record of the container, or the tick.
    auto waiting = std::move(container.waiting);
    container.waiting = {};
    for (const auto &[noticed, tgid] : waiting) {
        apply(*container.identity, noticed, nullptr, tgid);
    }
    return true;
}

void DriftDetector::on_event(const vigil::Event &event)
{
    switch (event.kind()) {
    case VIGIL_KIND_PROCESS_EXEC:
        observe(event, notice_exec(event, host()));
        return;
    case DRIFT_KIND_OPEN:
        on_open(event);
        return;
    case DRIFT_KIND_CONNECT:
        on_connect(event);
        return;
    case DRIFT_KIND_DNS:
        on_dns(event);
        return;
    case DRIFT_KIND_LISTEN:
        observe(event, notice_listen(event));
        return;
    case DRIFT_KIND_CHANGED_EXEC:
        on_changed_exec(event);
        return;
    case VIGIL_KIND_CGROUP_REMOVED:
        if (const auto *record = event.as<vigil_cgroup_change>(); record != nullptr) {
            auto found = containers_.find(record->cgroup_id);
            if (found != containers_.end()) {
                if (found->second.identity) {
                    book_.mark_running(found->second.identity->key, found->second.identity->version, false);
                }
                containers_.erase(found);
            }
            knowledge_.forget_container(record->cgroup_id);
        }
        return;
    default:
        return;
    }
}

std::optional<Profile::Outcome> DriftDetector::observe(const vigil::Event &event, std::optional<Noticed> noticed)
{
    const auto *facts = event.container();
    if (!noticed || facts == nullptr) {
        return std::nullopt;
    }
    observed_.add();
    auto &container = container_for(event);
    if (!container.identity && !resolve(container, *facts, event.header().timestamp_ns)) {
        if (container.waiting.size() < max_waiting) {
            container.waiting.emplace_back(std::move(*noticed), event.header().tgid);
        } else {
            container.waiting_overflowed = true;
        }
        return std::nullopt;
    }
    return apply(*container.identity, *noticed, &event, event.header().tgid);
}

Profile::Outcome DriftDetector::apply(const WorkloadIdentity &identity, const Noticed &noticed,
                                      const vigil::Event *event, uint32_t subject_tgid)
{
    auto &profile = book_.find_or_create(identity.key, identity.version, unix_now());
    auto behaviour = noticed.observation.behaviour;
    auto before = profile.behaviour(behaviour).state;
    auto outcome = profile.observe(noticed.observation, unix_now(), options_.policy);
    if (before != LearningState::unstable && outcome.state == LearningState::unstable) {
        // Reported, never silent: this class raises no drift alerts from now on.
        unstable_classes_.add();
        auto key_text = identity.key.text();
        host().logf(VIGIL_LOG_WARNING,
                    "profile %s (version %s): %s grew past max_entries_per_class (%zu entries): unstable, it "
                    "raises no drift alerts; `vigil profiles show` lists what it learned",
                    key_text.c_str(), identity.version.c_str(), std::string(behaviour_name(behaviour)).c_str(),
                    options_.policy.entry_cap);
    }
    if (outcome.drift && options_.switches.enabled(noticed.rule)) {
        drifts_.add();
        raise_drift_alert(host(), DriftFinding{noticed, identity, outcome.stored_entry, outcome.learned_ns}, event,
                          subject_tgid);
    }
    return outcome;
}

// Whether the profile now holds what was observed, so that the kernel need not send it again. A
// drift is not held (it alerts again after the dedup window), nor an entry refused at the cap.
static bool held(const Profile::Outcome &outcome)
{
    return !outcome.drift && (outcome.known || outcome.state != LearningState::unstable);
}

void DriftDetector::on_open(const vigil::Event &event)
{
    auto noticed = notice_open(event);
    const auto *record = event.as<drift_open>();
    auto outcome = observe(event, noticed);
    if (!outcome || record == nullptr || !held(*outcome)) {
        return;
    }
    bool write = (record->open_flags & DRIFT_OPEN_WRITE_ACCESS) != 0;
    bool pattern = is_pattern(BehaviourClass::files, outcome->stored_entry);
    if (pattern && !covers_directory(noticed->subject, write, outcome->stored_entry)) {
        return; // a pattern the kernel's two hashes cannot express ("/tmp/*/data"): user space decides
    }
    knowledge_.remember_open(known_open_key(event.header().cgroup_id, noticed->subject, write, pattern));
}

void DriftDetector::on_connect(const vigil::Event &event)
{
    auto noticed = notice_connect(event);
    const auto *record = event.as<drift_connect>();
    auto outcome = observe(event, noticed);
    if (!outcome || record == nullptr || !held(*outcome)) {
        return;
    }
    bool network = is_pattern(BehaviourClass::connections, outcome->stored_entry);
    knowledge_.remember_connect(known_connect_key(event.header().cgroup_id, record->remote, network));
}

void DriftDetector::on_changed_exec(const vigil::Event &event)
{
    const auto *record = event.as<drift_changed_exec>();
    const auto *facts = event.container();
    if (record == nullptr || facts == nullptr || !options_.switches.enabled(Rule::dropped_binary_exec)) {
        return;
    }
    auto verdict = judge_changed_exec(*record, *facts, host().now_ns(), unix_now());
    if (!verdict) {
        return;
    }
    const auto &container = container_for(event);
    drifts_.add();
    raise_dropped_binary_alert(host(), event, *record, *verdict, container.identity ? &*container.identity : nullptr);
}

void DriftDetector::on_dns(const vigil::Event &event)
{
    const auto *record = event.as<drift_dns>();
    auto outcome = observe(event, notice_dns(event));
    if (!outcome || record == nullptr || !held(*outcome) || is_pattern(BehaviourClass::dns, outcome->stored_entry)) {
        return; // a collapsed "*.example.com" has no hash of its own: user space decides
    }
    knowledge_.remember_name(drift_known_name{event.header().cgroup_id, record->name_hash});
}

void DriftDetector::replay_waiting(uint64_t now_ns)
{
    for (auto &[cgroup_id, container] : containers_) {
        if (container.identity || container.waiting.empty()) {
            continue;
        }
        const auto *facts = host().find_container(cgroup_id);
        if (facts != nullptr) {
            resolve(container, *facts, now_ns);
        }
    }
}

void DriftDetector::on_tick(uint64_t now_ns)
{
    replay_waiting(now_ns);
    auto now_unix = unix_now();
    auto lost = host().records_lost();
    if (lost > records_lost_) {
        // Something may have gone unseen: a profile learning now may lack it, and must say so.
        book_.mark_learning_partial("events were lost while it learned");
        records_lost_ = lost;
    }
    book_.advance(now_unix);
    report_bounds();
    if (store_ && now_ns >= last_save_ns_ + options_.save_interval_ns) {
        last_save_ns_ = now_ns;
        save(now_unix);
    }
}

// The book's bounds, when hit since the last tick: a warning and a counter each.
void DriftDetector::report_bounds()
{
    const auto &now = book_.counters();
    if (now.versions_dropped > reported_.versions_dropped) {
        versions_dropped_.add(now.versions_dropped - reported_.versions_dropped);
        host().logf(VIGIL_LOG_WARNING, "%llu old profile versions dropped (max_versions_per_workload %zu)",
                    static_cast<unsigned long long>(now.versions_dropped - reported_.versions_dropped),
                    options_.policy.max_versions_per_workload);
    }
    if (now.profiles_evicted > reported_.profiles_evicted) {
        profiles_evicted_.add(now.profiles_evicted - reported_.profiles_evicted);
        host().logf(VIGIL_LOG_WARNING, "%llu idle profiles evicted (max_profiles %zu)",
                    static_cast<unsigned long long>(now.profiles_evicted - reported_.profiles_evicted),
                    options_.policy.max_profiles);
    }
    if (now.over_bound > reported_.over_bound) {
        host().logf(VIGIL_LOG_WARNING,
                    "profiles beyond max_profiles or max_versions_per_workload kept %llu times: every candidate "
                    "for eviction had a running container",
                    static_cast<unsigned long long>(now.over_bound - reported_.over_bound));
    }
    reported_ = now;
}

void DriftDetector::save(uint64_t now_unix_ns)
{
    if (!store_) {
        return;
    }
    // Resets and imports the command made since the last look replace what is in memory, and
    // what the kernel was told of the old profiles no longer holds.
    if (book_.reload_changed(*store_) > 0) {
        knowledge_.forget_all();
    }
    store_->save(book_.take_dirty(now_unix_ns));
}

} // namespace vigil_drift
