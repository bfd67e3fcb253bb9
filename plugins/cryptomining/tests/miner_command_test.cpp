// SPDX-License-Identifier: Apache-2.0
// What makes an exec look like a miner, on its own (miner_command.cpp, patterns.cpp).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "miner_command.hpp"
#include "patterns.hpp"

using namespace vigil_cryptomining;

namespace {

const GlobList names({"xmrig", "xmr-stak-*", "srbminer*", "t-rex"});

MinerSignals look(std::string_view exe, std::vector<std::string_view> arguments)
{
    return find_miner_signals(exe, arguments, names);
}

} // namespace

TEST_CASE("a known miner's name, from the exe or argv[0], in any case")
{
    CHECK(look("/tmp/.x/xmrig", {"xmrig"}).matched_name == "xmrig");
    CHECK(look("/usr/bin/XMRig", {"XMRig"}).matched_name == "XMRig");
    CHECK(look("/opt/srbminer-multi", {"srbminer-multi"}).matched_name == "srbminer-multi");
    CHECK(look("/bin/busybox", {"/tmp/xmr-stak-rx", "-c", "x"}).matched_name == "xmr-stak-rx");
    CHECK(look("./t-rex", {"./t-rex"}).any());
}

TEST_CASE("names that only resemble a miner's are not one")
{
    CHECK_FALSE(look("/usr/bin/less", {"less", "xmrig-notes.txt"}).any());
    CHECK_FALSE(look("/usr/bin/xmrig-notes.txt", {"xmrig-notes.txt"}).any());
    CHECK_FALSE(look("/usr/bin/vim", {"vim", "/etc/xmrig/config.json"}).any());
    CHECK_FALSE(look("/bin/gzip", {"gzip", "-9", "big.tar"}).any());
    CHECK_FALSE(look("/usr/bin/make", {"make", "-j2"}).any());
}

TEST_CASE("a stratum pool URL, in any argument spelling")
{
    CHECK(look("/bin/app", {"app", "-o", "stratum+tcp://pool.example:3333"}).pool_url ==
          "stratum+tcp://pool.example:3333");
    CHECK(look("/bin/app", {"app", "--url=stratum+ssl://pool.example:443"}).pool_url ==
          "stratum+ssl://pool.example:443");
    CHECK(look("/bin/app", {"app", "-o", "stratum2+tcp://p.example"}).pool_url == "stratum2+tcp://p.example");
    CHECK(look("/bin/app", {"app", "-o", "STRATUM+TLS://p.example"}).pool_url == "STRATUM+TLS://p.example");
    CHECK(look("/bin/app", {"app", "-ostratum+tcp://p.example:3333"}).pool_url == "stratum+tcp://p.example:3333");
    // A URL inside a longer text belongs to the command it describes, not to this program:
    // a shell's -c string, or the container runtime's exec of that shell.
    CHECK_FALSE(look("/bin/sh", {"/bin/sh", "-c", "xmrig -o stratum+tcp://pool.example:3333; exit $?"}).any());
    CHECK_FALSE(look("/usr/sbin/runc",
                     {"runc", "exec", "id", "/bin/sh", "-c", "xmrig -o stratum+tcp://p.example:3333 --donate-level 1"})
                    .any());
    CHECK(look("/bin/echo", {"echo", "pool:stratum+tcp://p.example"}).pool_url.empty());
    // A scheme with nothing after it points nowhere; argv[0] is never a URL.
    CHECK(look("/bin/grep", {"grep", "stratum+tcp://", "log"}).pool_url.empty());
    CHECK(look("/bin/app", {"app", "stratum", "stratum+://x"}).pool_url.empty());
}

TEST_CASE("miner-only flags, and -a or --algo only with a mining algorithm")
{
    CHECK(look("/bin/app", {"app", "--donate-level", "1"}).miner_flags == std::vector<std::string>{"--donate-level"});
    CHECK(look("/bin/app", {"app", "--donate-level=0"}).miner_flags == std::vector<std::string>{"--donate-level"});
    CHECK(look("/bin/app", {"app", "-a", "rx/0"}).miner_flags == std::vector<std::string>{"-a=rx/0"});
    CHECK(look("/bin/app", {"app", "--algo=cryptonight"}).miner_flags ==
          std::vector<std::string>{"--algo=cryptonight"});
    CHECK(look("/bin/app", {"app", "--algo", "kawpow"}).miner_flags == std::vector<std::string>{"--algo=kawpow"});
    CHECK(look("/bin/app", {"app", "--coin", "monero"}).miner_flags == std::vector<std::string>{"--coin=monero"});
    CHECK(look("/bin/app", {"app", "--cpu-max-threads-hint", "50"}).any());

    // -a means "all", "append", "attack mode"... to everything else.
    CHECK_FALSE(look("/bin/ls", {"ls", "-a", "/tmp"}).any());
    CHECK_FALSE(look("/usr/bin/hashcat", {"hashcat", "-a", "0", "-m", "1000"}).any());
    CHECK_FALSE(look("/usr/bin/tar", {"tar", "-a", "-cf", "x.tar.gz", "dir"}).any());
    CHECK_FALSE(look("/usr/bin/app", {"app", "--algo", "sha256", "--coin", "gold"}).any());
    CHECK_FALSE(look("/usr/bin/app", {"app", "-a"}).any());
}

TEST_CASE("mining algorithms and coins")
{
    for (auto name : {"rx/0", "RX/WOW", "cn/r", "cn-lite/1", "cryptonight-heavy", "randomx", "ethash", "kawpow",
                      "argon2/chukwav2", "ghostrider", "autolykos2"}) {
        CAPTURE(name);
        CHECK(is_mining_algorithm(name));
    }
    for (auto name : {"rx/", "sha256", "md5", "0", "scrypt", "argon2", "cn", "all", "aes"}) {
        CAPTURE(name);
        CHECK_FALSE(is_mining_algorithm(name));
    }
    CHECK(is_mined_coin("XMR"));
    CHECK(is_mined_coin("monero"));
    CHECK_FALSE(is_mined_coin("gold"));
}

TEST_CASE("split_arguments: NUL-terminated argv, the last maybe cut short")
{
    std::vector<std::string_view> arguments{"stale"};
    split_arguments(std::string_view("xmrig\0-o\0stratum+tcp://p", 24), arguments);
    CHECK(arguments == std::vector<std::string_view>{"xmrig", "-o", "stratum+tcp://p"});
    split_arguments(std::string_view("a\0\0b\0", 5), arguments);
    CHECK(arguments == std::vector<std::string_view>{"a", "", "b"});
    split_arguments({}, arguments);
    CHECK(arguments.empty());
}

TEST_CASE("domain patterns: the domain itself and the names below it")
{
    DomainList domains({"*.nanopool.org", "pool.example", "*.Supportxmr.COM."});
    CHECK(domains.match("xmr-eu1.nanopool.org") == "*.nanopool.org");
    CHECK(domains.match("nanopool.org") == "*.nanopool.org");
    CHECK(domains.match("NANOPOOL.ORG.") == "*.nanopool.org");
    CHECK(domains.match("pool.supportxmr.com") == "*.Supportxmr.COM.");
    CHECK(domains.match("pool.example") == "pool.example");
    CHECK(domains.match("a.pool.example").empty());
    CHECK(domains.match("notnanopool.org").empty());
    CHECK(domains.match("nanopool.org.evil.example").empty());
    CHECK(domains.match("example.com").empty());
    CHECK_THROWS_AS(DomainList({"*"}), std::invalid_argument);
    CHECK_THROWS_AS(DomainList({"pool.*.org"}), std::invalid_argument);
    CHECK_THROWS_AS(DomainList({""}), std::invalid_argument);
}

TEST_CASE("base_name")
{
    CHECK(base_name("/usr/bin/xmrig") == "xmrig");
    CHECK(base_name("xmrig") == "xmrig");
    CHECK(base_name("/dir/") == "");
}
