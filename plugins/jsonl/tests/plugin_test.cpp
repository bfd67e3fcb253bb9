// SPDX-License-Identifier: Apache-2.0
// The real jsonl.so, formatting and sending through the fake host as the
// sensor's delivery thread would, into files of a directory of the test's own.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <sys/stat.h>

#include <vigil/testing/fake_host.hpp>

using vigil::testing::FakeHost;
using vigil::testing::SampleAlert;

namespace {

// A fresh directory, removed with its contents when the test is done.
class ScratchDirectory {
public:
    ScratchDirectory()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "vigil-jsonl-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }
    ~ScratchDirectory()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDirectory(const ScratchDirectory &) = delete;
    ScratchDirectory &operator=(const ScratchDirectory &) = delete;

    const std::filesystem::path &path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path &path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

// An alert whose JSON says which it is.
SampleAlert numbered_alert(int number)
{
    SampleAlert alert;
    alert.time_unix_ns = static_cast<uint64_t>(number);
    alert.rule = "test.rule";
    alert.summary = "alert " + std::to_string(number);
    alert.json = R"({"time":)" + std::to_string(number) + R"(,"rule":"test.rule","summary":"alert )" +
                 std::to_string(number) + R"("})";
    return alert;
}

mode_t permissions(const std::filesystem::path &path)
{
    struct stat status {};
    stat(path.c_str(), &status);
    return status.st_mode & 0777;
}

} // namespace

TEST_CASE("appends lines and follows rotation")
{
    ScratchDirectory directory;
    auto path = directory.path() / "nested" / "logs" / "alerts.jsonl";
    FakeHost host(JSONL_PLUGIN_PATH);
    CHECK(std::string(host.descriptor().name) == "jsonl");
    host.set_option("path", path.string());
    host.set_option("create_directories", true);
    REQUIRE(host.start() == 0);
    CHECK(permissions(path) == 0600);
    CHECK((permissions(path.parent_path()) & 0027) == 0); // 0750, less the umask

    auto first = numbered_alert(1);
    auto second = numbered_alert(2);
    auto first_view = first.view();
    auto second_view = second.view();
    auto delivery = host.format_and_send({&first_view, &second_view});
    CHECK(delivery.taken == 2);
    CHECK(delivery.result.status == VIGIL_SEND_OK);
    // No buffering: the lines are in the file as soon as send returns.
    CHECK(read_file(path) == first.json + "\n" + second.json + "\n");

    // Rotated away: the next alert goes to a new file at the same path.
    auto rotated = path;
    rotated += ".1";
    std::filesystem::rename(path, rotated);
    auto third = numbered_alert(3);
    auto third_view = third.view();
    CHECK(host.format_and_send({&third_view}).result.status == VIGIL_SEND_OK);
    CHECK(read_file(path) == third.json + "\n");
    CHECK(read_file(rotated) == first.json + "\n" + second.json + "\n");

    // Replaced by another file (logrotate's "create"): reopened as well.
    std::filesystem::rename(path, rotated);
    {
        std::ofstream replacement(path);
    }
    auto fourth = numbered_alert(4);
    auto fourth_view = fourth.view();
    CHECK(host.format_and_send({&fourth_view}).result.status == VIGIL_SEND_OK);
    CHECK(read_file(path) == fourth.json + "\n");
    CHECK(host.problems().empty());
}

TEST_CASE("init refuses a path it cannot open")
{
    ScratchDirectory directory;
    FakeHost host(JSONL_PLUGIN_PATH);
    host.set_option("path", (directory.path() / "missing" / "alerts.jsonl").string());
    host.set_option("create_directories", false);
    CHECK(host.start() != 0);
    const auto &logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].message.find("No such file or directory") != std::string::npos);
}

TEST_CASE("a full disk asks for a retry")
{
    FakeHost host(JSONL_PLUGIN_PATH);
    host.set_option("path", "/dev/full");
    host.set_option("create_directories", false);
    REQUIRE(host.start() == 0);
    auto alert = numbered_alert(1);
    auto view = alert.view();
    auto delivery = host.format_and_send({&view});
    CHECK(delivery.result.status == VIGIL_SEND_RETRY);
    CHECK(std::string(delivery.result.reason).find("No space left on device") != std::string::npos);
}
