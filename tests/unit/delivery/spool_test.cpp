// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/delivery/spool.hpp"
#include "tests/unit/delivery/temporary_directory.hpp"

using vigil::delivery::Spool;
using vigil::delivery::SpoolAppend;
using vigil::delivery::SpoolFailure;
using vigil::delivery::SpoolLimits;
using vigil::delivery::SpoolPending;
using vigil::testing::read_file;
using vigil::testing::TemporaryDirectory;

namespace {

Spool open_spool(const std::filesystem::path &path, SpoolLimits limits = {})
{
    auto spool = Spool::open(path.string(), limits);
    if (!spool) {
        FAIL("cannot open the spool: " << spool.error());
    }
    return std::move(*spool);
}

uint64_t append(Spool &spool, std::string_view output, std::string_view alert)
{
    auto id = spool.append(output, alert);
    if (!id) {
        FAIL("append failed: " << id.error().message);
    }
    return *id;
}

std::vector<std::string> alerts_of(Spool &spool, std::string_view output)
{
    auto entries = spool.peek(output, 1'000'000);
    REQUIRE(entries);
    std::vector<std::string> alerts;
    for (auto &entry : *entries) {
        alerts.push_back(std::move(entry.alert));
    }
    return alerts;
}

using Alerts = std::vector<std::string>;

} // namespace

TEST_SUITE("delivery")
{

    TEST_CASE("delivery: the spool keeps each output's alerts in append order, apart from the other outputs'")
    {
        TemporaryDirectory directory;
        auto spool = open_spool(directory.path() / "spool.db");
        auto a = append(spool, "siem", "a");
        auto x = append(spool, "slack", "x");
        auto b = append(spool, "siem", "b");
        auto y = append(spool, "slack", "y");
        auto c = append(spool, "siem", "c");
        CHECK(a < x);
        CHECK(x < b);
        CHECK(b < y);
        CHECK(y < c);

        CHECK(alerts_of(spool, "siem") == Alerts{"a", "b", "c"});
        CHECK(alerts_of(spool, "slack") == Alerts{"x", "y"});
        CHECK(alerts_of(spool, "pager").empty());

        auto first_two = spool.peek("siem", 2);
        REQUIRE(first_two);
        REQUIRE(first_two->size() == 2);
        CHECK((*first_two)[0].id == a);
        CHECK((*first_two)[1].id == b);
        auto after_b = spool.peek("siem", 10, b);
        REQUIRE(after_b);
        REQUIRE(after_b->size() == 1);
        CHECK((*after_b)[0].alert == "c");

        CHECK(spool.pending("siem") == SpoolPending{3, 3});
        CHECK(spool.pending("slack") == SpoolPending{2, 2});
        CHECK(spool.pending("pager") == SpoolPending{});
        CHECK(spool.statistics("siem").appended == 3);
    }

    TEST_CASE("delivery: spool alerts are bytes, kept exactly")
    {
        TemporaryDirectory directory;
        auto spool = open_spool(directory.path() / "spool.db");
        const std::string binary("\0\x01\xff{\"rule\":\"é\"}\n", 17);
        append(spool, "siem", binary);
        append(spool, "siem", "");
        CHECK(alerts_of(spool, "siem") == Alerts{binary, ""});
    }

    TEST_CASE("delivery: acknowledge removes an output's entries up to an id, and only that output's")
    {
        TemporaryDirectory directory;
        auto spool = open_spool(directory.path() / "spool.db");
        append(spool, "siem", "a");
        auto b = append(spool, "siem", "bb");
        append(spool, "siem", "ccc");
        append(spool, "slack", "x");

        auto acknowledged = spool.acknowledge("siem", b);
        REQUIRE(acknowledged);
        CHECK(*acknowledged == 2);
        CHECK(alerts_of(spool, "siem") == Alerts{"ccc"});
        CHECK(spool.pending("siem") == SpoolPending{1, 3});
        // Another output's entries, even with a lower id, are not touched.
        CHECK(alerts_of(spool, "slack") == Alerts{"x"});
        CHECK(spool.acknowledge("siem", b).value() == 0);
        CHECK(spool.acknowledge("unknown", 1000).value() == 0);
        CHECK(spool.statistics("siem").acknowledged == 2);
    }

    TEST_CASE("delivery: reject removes the refused entries, counted with the reason")
    {
        TemporaryDirectory directory;
        auto spool = open_spool(directory.path() / "spool.db");
        append(spool, "siem", "a");
        auto bad = append(spool, "siem", "bad");
        append(spool, "siem", "c");
        auto other = append(spool, "slack", "x");

        const uint64_t ids[] = {bad, other};
        auto rejected = spool.reject("siem", ids, "400: field too long");
        REQUIRE(rejected);
        // @other belongs to another output: not removed.
        CHECK(*rejected == 1);
        CHECK(alerts_of(spool, "siem") == Alerts{"a", "c"});
        CHECK(alerts_of(spool, "slack") == Alerts{"x"});
        CHECK(spool.statistics("siem").rejected == 1);
        CHECK(spool.last_reject_reason("siem") == "400: field too long");
        CHECK(spool.pending("siem") == SpoolPending{2, 2});
    }

    TEST_CASE("delivery: a reopened spool has what was pending, and its ids keep growing")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        uint64_t last = 0;
        {
            auto spool = open_spool(path);
            append(spool, "siem", "a");
            append(spool, "siem", "b");
            auto x = append(spool, "slack", "x");
            last = append(spool, "slack", "y");
            REQUIRE(spool.acknowledge("slack", x));
            // Every entry of "siem" acknowledged, including the highest id so far.
            REQUIRE(spool.acknowledge("slack", last));
        }
        auto spool = open_spool(path);
        CHECK(alerts_of(spool, "siem") == Alerts{"a", "b"});
        CHECK(alerts_of(spool, "slack").empty());
        CHECK(spool.pending("siem") == SpoolPending{2, 2});
        CHECK(append(spool, "slack", "z") > last);
    }

    TEST_CASE("delivery: outputs() lists what waits, including an output no longer configured, until discarded")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        {
            auto spool = open_spool(path);
            append(spool, "siem", "a");
            append(spool, "old-webhook", "b");
            append(spool, "old-webhook", "cc");
            append(spool, "slack", "d");
            REQUIRE(spool.acknowledge("slack", 1000));
        }
        auto spool = open_spool(path);
        auto waiting = spool.outputs();
        REQUIRE(waiting.size() == 2);
        CHECK(waiting[0].output == "old-webhook");
        CHECK(waiting[0].pending == SpoolPending{2, 3});
        CHECK(waiting[1].output == "siem");
        CHECK(waiting[1].pending == SpoolPending{1, 1});

        auto discarded = spool.discard("old-webhook");
        REQUIRE(discarded);
        CHECK(*discarded == 2);
        CHECK(spool.statistics("old-webhook").discarded == 2);
        REQUIRE(spool.outputs().size() == 1);
        CHECK(spool.outputs()[0].output == "siem");
    }

    TEST_CASE("delivery: a full spool refuses the newest alert, keeps the oldest, and counts and reports it")
    {
        TemporaryDirectory directory;
        SpoolLimits limits;
        limits.max_entries_per_output = 3;
        auto spool = open_spool(directory.path() / "spool.db", limits);
        for (const char *alert : {"first", "second", "third"}) {
            append(spool, "siem", alert);
        }
        for (const char *alert : {"fourth", "fifth"}) {
            auto refused = spool.append("siem", alert);
            REQUIRE_FALSE(refused);
            CHECK(refused.error().failure == SpoolFailure::full);
            CHECK(refused.error().message.find("siem") != std::string::npos);
        }
        CHECK(alerts_of(spool, "siem") == Alerts{"first", "second", "third"});
        auto statistics = spool.statistics("siem");
        CHECK(statistics.appended == 3);
        CHECK(statistics.dropped_full == 2);
        CHECK(statistics.times_full == 1);

        // The bound is per output: the others are not held up.
        append(spool, "slack", "x");

        // Room again once delivered; a second episode is counted as such.
        auto oldest = spool.peek("siem", 1);
        REQUIRE(oldest);
        REQUIRE(spool.acknowledge("siem", oldest->front().id));
        append(spool, "siem", "sixth");
        CHECK_FALSE(spool.append("siem", "seventh"));
        CHECK(alerts_of(spool, "siem") == Alerts{"second", "third", "sixth"});
        statistics = spool.statistics("siem");
        CHECK(statistics.dropped_full == 3);
        CHECK(statistics.times_full == 2);
    }

    TEST_CASE("delivery: the spool's byte bounds, per output and in total, hold within a batch")
    {
        TemporaryDirectory directory;
        SpoolLimits limits;
        limits.max_bytes_per_output = 10;
        limits.max_total_bytes = 16;
        auto spool = open_spool(directory.path() / "spool.db", limits);
        const SpoolAppend batch[] = {
            {"siem", "aaaaaa"}, // 6: siem 6, total 6
            {"siem", "bbbbbb"}, // siem would be 12 > 10: refused
            {"slack", "cccc"},  // slack 4, total 10
            {"siem", "dddd"},   // siem 10, total 14
            {"slack", "eeeee"}, // total would be 19 > 16: refused
            {"slack", "ff"},    // total 16
        };
        auto ids = spool.append_batch(batch);
        REQUIRE(ids);
        REQUIRE(ids->size() == 6);
        CHECK((*ids)[0].has_value());
        CHECK_FALSE((*ids)[1].has_value());
        CHECK((*ids)[2].has_value());
        CHECK((*ids)[3].has_value());
        CHECK_FALSE((*ids)[4].has_value());
        CHECK((*ids)[5].has_value());
        CHECK(alerts_of(spool, "siem") == Alerts{"aaaaaa", "dddd"});
        CHECK(alerts_of(spool, "slack") == Alerts{"cccc", "ff"});
        CHECK(spool.statistics("siem").dropped_full == 1);
        CHECK(spool.statistics("slack").dropped_full == 1);
        CHECK(spool.statistics("siem").appended == 2);
    }

    TEST_CASE("delivery: the spool's bound counts what was pending before a restart")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        SpoolLimits limits;
        limits.max_entries_per_output = 2;
        {
            auto spool = open_spool(path, limits);
            append(spool, "siem", "a");
            append(spool, "siem", "b");
        }
        auto spool = open_spool(path, limits);
        auto refused = spool.append("siem", "c");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().failure == SpoolFailure::full);
        CHECK(spool.statistics("siem").dropped_full == 1);
    }

    TEST_CASE("delivery: a spool file that is not a database is refused by name and left as it was")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        const std::string garbage(8192, 'x');
        std::ofstream(path, std::ios::binary) << garbage;

        auto spool = Spool::open(path.string());
        REQUIRE_FALSE(spool);
        CHECK(spool.error().find(path.string()) != std::string::npos);
        CHECK(spool.error().find("move it aside") != std::string::npos);
        CHECK(read_file(path) == garbage);
    }

    TEST_CASE("delivery: a damaged spool is refused by name and left as it was")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        {
            auto spool = open_spool(path);
            for (int i = 0; i < 2000; ++i) {
                append(spool, i % 2 ? "siem" : "slack", std::string(300, static_cast<char>('a' + i % 26)));
            }
        }
        // Overwrite pages in the middle of the file (the header and schema page stay).
        auto content = read_file(path);
        REQUIRE(content.size() > 64 * 1024);
        for (std::size_t offset = 16 * 1024; offset < 48 * 1024; ++offset) {
            content[offset] = static_cast<char>(offset * 7);
        }
        std::ofstream(path, std::ios::binary | std::ios::trunc) << content;

        auto spool = Spool::open(path.string());
        REQUIRE_FALSE(spool);
        CHECK(spool.error().find(path.string()) != std::string::npos);
        CHECK(std::filesystem::exists(path));
        CHECK(read_file(path) == content);
    }

    TEST_CASE("delivery: a SQLite database of something else is not taken for a spool")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "other.db";
        sqlite3 *database = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &database) == SQLITE_OK);
        REQUIRE(sqlite3_exec(database, "CREATE TABLE notes(text)", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(database);

        auto spool = Spool::open(path.string());
        REQUIRE_FALSE(spool);
        CHECK(spool.error().find(path.string()) != std::string::npos);
        CHECK(spool.error().find("not a vigil spool") != std::string::npos);
    }

    TEST_CASE("delivery: a spool in use is refused to a second opener, and a bad path is named")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        SpoolLimits limits;
        limits.busy_timeout = std::chrono::milliseconds{20};
        auto first = open_spool(path, limits);
        append(first, "siem", "a");

        auto second = Spool::open(path.string(), limits);
        REQUIRE_FALSE(second);
        CHECK(second.error().find(path.string()) != std::string::npos);
        CHECK(second.error().find("in use") != std::string::npos);
        // The first one is unaffected.
        append(first, "siem", "b");
        CHECK(alerts_of(first, "siem") == Alerts{"a", "b"});

        auto in_directory = Spool::open(directory.path().string());
        REQUIRE_FALSE(in_directory);
        CHECK(in_directory.error().find(directory.path().string()) != std::string::npos);
        auto no_parent = Spool::open((directory.path() / "missing" / "spool.db").string());
        REQUIRE_FALSE(no_parent);
        CHECK(no_parent.error().find("missing/spool.db") != std::string::npos);
    }

    TEST_CASE("delivery: a spool killed with SIGKILL keeps exactly what was appended and not acknowledged")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            // No doctest assertions here: only the exit status reports.
            auto spool = Spool::open(path.string());
            if (!spool) {
                _exit(2);
            }
            std::vector<uint64_t> ids;
            for (int i = 0; i < 300; ++i) {
                auto id = spool->append(i % 3 == 0 ? "slack" : "siem", "alert-" + std::to_string(i));
                if (!id) {
                    _exit(3);
                }
                ids.push_back(*id);
            }
            // siem's alerts below 100, and slack's below 150, were delivered.
            if (!spool->acknowledge("siem", ids[98]) || !spool->acknowledge("slack", ids[147])) {
                _exit(4);
            }
            const uint64_t refused[] = {ids[200]};
            if (!spool->reject("siem", refused, "refused")) {
                _exit(5);
            }
            // Not closed: the process dies with the transaction log as it is.
            raise(SIGKILL);
            _exit(6);
        }
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        REQUIRE(WIFSIGNALED(status));
        REQUIRE(WTERMSIG(status) == SIGKILL);

        Alerts siem;
        Alerts slack;
        for (int i = 0; i < 300; ++i) {
            if (i % 3 == 0 && i >= 150) {
                slack.push_back("alert-" + std::to_string(i));
            } else if (i % 3 != 0 && i >= 100 && i != 200) {
                siem.push_back("alert-" + std::to_string(i));
            }
        }
        auto spool = open_spool(path);
        CHECK(alerts_of(spool, "siem") == siem);
        CHECK(alerts_of(spool, "slack") == slack);
    }

    namespace {

    // The crash test's model of a spool: what each output should hold, in order.
    using Model = std::map<std::string, std::deque<std::string>>;

    // One step of the crash test, the same for the child that runs it and the
    // parent that checks: append a batch, or acknowledge an output's oldest few.
    struct Step {
        bool acknowledge = false;
        std::string output;                                     // acknowledge
        std::size_t count = 0;                                  // acknowledge
        std::vector<std::pair<std::string, std::string>> batch; // append: output, alert
    };

    class Steps {
    public:
        Steps(uint32_t seed, int round) : random_(seed), round_(round) {}

        Step next()
        {
            const char *outputs[] = {"siem", "slack"};
            Step step;
            if (random_() % 4 == 0) {
                step.acknowledge = true;
                step.output = outputs[random_() % 2];
                step.count = 1 + random_() % 8;
                return step;
            }
            auto size = 1 + random_() % 3;
            for (uint32_t i = 0; i < size; ++i) {
                std::string alert = "round-" + std::to_string(round_) + "-alert-" + std::to_string(number_++) + "-";
                alert.resize(200 + random_() % 800, 'p');
                step.batch.emplace_back(outputs[random_() % 2], std::move(alert));
            }
            return step;
        }

    private:
        std::minstd_rand random_;
        int round_;
        uint64_t number_ = 0;
    };

    void apply_step(Model &model, const Step &step)
    {
        if (step.acknowledge) {
            auto &queue = model[step.output];
            queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(std::min(step.count, queue.size())));
            return;
        }
        for (const auto &[output, alert] : step.batch) {
            model[output].push_back(alert);
        }
    }

    // Runs steps until killed, writing one byte to @progress after each one returned.
    [[noreturn]] void run_steps_until_killed(const std::filesystem::path &path, Steps steps, int progress)
    {
        auto spool = Spool::open(path.string());
        if (!spool) {
            _exit(2);
        }
        for (;;) {
            auto step = steps.next();
            if (step.acknowledge) {
                auto oldest = spool->peek(step.output, step.count);
                if (!oldest || (!oldest->empty() && !spool->acknowledge(step.output, oldest->back().id))) {
                    _exit(3);
                }
            } else {
                std::vector<SpoolAppend> batch;
                for (const auto &[output, alert] : step.batch) {
                    batch.push_back({output, alert});
                }
                auto ids = spool->append_batch(batch);
                if (!ids || std::ranges::any_of(*ids, [](const auto &id) { return !id.has_value(); })) {
                    _exit(4);
                }
            }
            if (write(progress, "+", 1) != 1) {
                _exit(5);
            }
        }
    }

    bool holds(Spool &spool, const Model &model)
    {
        for (const auto &[output, alerts] : model) {
            if (alerts_of(spool, output) != Alerts(alerts.begin(), alerts.end())) {
                return false;
            }
        }
        return true;
    }

    } // namespace

    TEST_CASE("delivery: a spool killed at random moments loses nothing appended and revives nothing acknowledged")
    {
        TemporaryDirectory directory;
        auto path = directory.path() / "spool.db";
        Model model;
        std::minstd_rand random(20240601);
        for (int round = 0; round < 8; ++round) {
            auto seed = static_cast<uint32_t>(random());
            int progress[2];
            REQUIRE(pipe(progress) == 0);
            pid_t child = fork();
            REQUIRE(child >= 0);
            if (child == 0) {
                close(progress[0]);
                run_steps_until_killed(path, Steps(seed, round), progress[1]);
            }
            close(progress[1]);
            // Killed at a random moment once it is under way.
            char buffer[4096];
            std::size_t completed = read(progress[0], buffer, 1) == 1 ? 1 : 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(random() % 60));
            kill(child, SIGKILL);
            // Read what the child reported while it ran, up to its death.
            ssize_t got;
            while ((got = read(progress[0], buffer, sizeof buffer)) > 0) {
                completed += static_cast<std::size_t>(got);
            }
            close(progress[0]);
            int status = 0;
            REQUIRE(waitpid(child, &status, 0) == child);
            INFO("round " << round << ", steps completed: " << completed);
            REQUIRE_MESSAGE(WIFSIGNALED(status), "the child failed with status " << WEXITSTATUS(status));
            CHECK(completed > 0);

            // Every step that returned took effect; the one under way when the
            // child died (its report unwritten) took effect entirely or not at all.
            Steps replay(seed, round);
            for (std::size_t i = 0; i < completed; ++i) {
                apply_step(model, replay.next());
            }
            Model with_next = model;
            apply_step(with_next, replay.next());
            auto spool = open_spool(path);
            if (!holds(spool, model)) {
                REQUIRE(holds(spool, with_next));
                model = std::move(with_next);
            }
            auto waiting = spool.outputs();
            for (const auto &each : waiting) {
                CHECK(each.pending.entries == model[each.output].size());
            }
        }
    }

    TEST_CASE("delivery: the spool takes appends and acknowledgements from several threads at once")
    {
        TemporaryDirectory directory;
        auto spool = open_spool(directory.path() / "spool.db");
        constexpr int count = 3000;
        std::atomic<bool> failed{false};

        // The event thread: each alert routed to both outputs, in one batch.
        std::thread producer([&] {
            for (int i = 0; i < count; ++i) {
                auto alert = std::to_string(i);
                const SpoolAppend both[] = {{"siem", alert}, {"slack", alert}};
                auto ids = spool.append_batch(both);
                if (!ids || !(*ids)[0] || !(*ids)[1]) {
                    failed = true;
                }
            }
        });
        // One delivery thread per output: what it peeks continues what it had, exactly.
        auto deliver = [&](std::string output, std::vector<int> &received) {
            auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            while (received.size() < count && std::chrono::steady_clock::now() < deadline && !failed) {
                auto entries = spool.peek(output, 50);
                if (!entries) {
                    failed = true;
                    return;
                }
                if (entries->empty()) {
                    std::this_thread::yield();
                    continue;
                }
                for (const auto &entry : *entries) {
                    received.push_back(std::stoi(entry.alert));
                }
                if (!spool.acknowledge(output, entries->back().id)) {
                    failed = true;
                }
            }
        };
        std::vector<int> siem;
        std::vector<int> slack;
        std::thread siem_thread(deliver, "siem", std::ref(siem));
        std::thread slack_thread(deliver, "slack", std::ref(slack));
        producer.join();
        siem_thread.join();
        slack_thread.join();

        CHECK_FALSE(failed);
        std::vector<int> expected(count);
        for (int i = 0; i < count; ++i) {
            expected[static_cast<std::size_t>(i)] = i;
        }
        CHECK(siem == expected);
        CHECK(slack == expected);
        CHECK(spool.outputs().empty());
        CHECK(spool.statistics("siem").appended == count);
        CHECK(spool.statistics("siem").acknowledged == count);
        CHECK(spool.statistics("slack").acknowledged == count);
    }

} // TEST_SUITE
