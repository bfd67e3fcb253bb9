// SPDX-License-Identifier: Apache-2.0
// The syslog output plugin: every alert as one RFC 5424 message, to the
// local syslog socket, a UDP or a TCP receiver. See README.md.
#include <unistd.h>

#include <string>

#include <vigil/output.hpp>

#include "facility.hpp"
#include "framing.hpp"
#include "rfc5424.hpp"
#include "transport.hpp"

namespace vigil_syslog {
namespace {

// One request holds at most this much: a TCP batch, or datagrams sent one after another.
constexpr std::size_t max_request_bytes = 1024 * 1024;
// RFC 5426: 2048 octets is what every IPv4 receiver should take.
constexpr std::size_t udp_default_bytes = 2048;
// RFC 5425 and the common local daemons: 8192.
constexpr std::size_t stream_default_bytes = 8192;
// The largest UDP payload over IPv4.
constexpr std::size_t udp_largest_bytes = 65507;
// A frame bigger than this is refused by common receivers (and a batch holds at least one).
constexpr std::size_t largest_bytes = 64 * 1024;

TransportSettings transport_settings(const vigil::Config &config)
{
    TransportSettings settings;
    const std::string transport = config.get_string("transport");
    if (transport == "unix") {
        settings.kind = TransportKind::unix_datagram;
        settings.path = config.get_string("path");
        if (settings.path.empty()) {
            throw vigil::ConfigError("option path must name the local syslog socket, e.g. \"/dev/log\"");
        }
    } else if (transport == "udp" || transport == "tcp") {
        settings.kind = transport == "udp" ? TransportKind::udp : TransportKind::tcp;
        auto address = parse_host_port(config.get_string("address"));
        if (!address) {
            throw vigil::ConfigError("option address must be \"host:port\" (or \"[v6]:port\") for transport \"" +
                                     transport + "\", not \"" + config.get_string("address") + "\"");
        }
        settings.host = address->host;
        settings.port = address->port;
    } else {
        throw vigil::ConfigError("option transport must be \"unix\", \"udp\" or \"tcp\", not \"" + transport + "\"");
    }
    auto timeout = config.get_integer("timeout_ms");
    if (timeout < 100 || timeout > 600000) {
        throw vigil::ConfigError("option timeout_ms must be 100 to 600000");
    }
    settings.timeout_ms = static_cast<int>(timeout);
    return settings;
}

MessageSettings message_settings(const vigil::Config &config, TransportKind kind)
{
    MessageSettings settings;
    const std::string facility = config.get_string("facility");
    auto code = parse_facility(facility);
    if (!code) {
        throw vigil::ConfigError("option facility must be a facility name (\"local0\" to \"local7\", \"auth\", "
                                 "\"authpriv\", \"daemon\", ...) or 0 to 23, not \"" +
                                 facility + "\"");
    }
    settings.facility = *code;
    const std::string body = config.get_string("message");
    if (body != "summary" && body != "json") {
        throw vigil::ConfigError("option message must be \"summary\" or \"json\", not \"" + body + "\"");
    }
    settings.body = body == "json" ? MessageBody::json : MessageBody::summary;
    settings.app_name = config.get_string("app_name");
    settings.procid = std::to_string(::getpid());
    auto bytes = config.get_integer("max_message_bytes");
    const std::size_t largest = kind == TransportKind::udp ? udp_largest_bytes : largest_bytes;
    if (bytes == 0) {
        settings.max_bytes = kind == TransportKind::udp ? udp_default_bytes : stream_default_bytes;
    } else if (bytes < static_cast<int64_t>(min_message_bytes) || bytes > static_cast<int64_t>(largest)) {
        throw vigil::ConfigError("option max_message_bytes must be 0 (the transport's default) or " +
                                 std::to_string(min_message_bytes) + " to " + std::to_string(largest));
    } else {
        settings.max_bytes = static_cast<std::size_t>(bytes);
    }
    return settings;
}

class SyslogOutput final : public vigil::Output {
public:
    SyslogOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), transport_(transport_settings(config)),
          settings_(message_settings(config, transport_kind(config))),
          truncated_(host.counter("messages_truncated", "syslog messages whose MSG was cut to max_message_bytes"))
    {
        host.logf(VIGIL_LOG_INFO, "syslog: RFC 5424 to %s, facility %d, messages of at most %zu bytes",
                  transport_.describe().c_str(), settings_.facility, settings_.max_bytes);
    }

    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        batch_.clear();
        std::size_t taken = 0;
        for (const vigil_alert *alert : alerts) {
            message_.clear();
            bool cut = append_message(message_, *alert, settings_);
            if (taken > 0 && batch_.size() + message_.size() + 8 > max_request_bytes) {
                break; // the next request takes it
            }
            if (cut) {
                note_truncated(*alert);
            }
            append_frame(batch_, message_);
            ++taken;
        }
        request.append(batch_);
        return taken;
    }

    vigil::SendResult send(std::string_view request) override { return transport_.send(request); }

private:
    static TransportKind transport_kind(const vigil::Config &config)
    {
        const std::string transport = config.get_string("transport");
        return transport == "udp"   ? TransportKind::udp
               : transport == "tcp" ? TransportKind::tcp
                                    : TransportKind::unix_datagram;
    }

    void note_truncated(const vigil_alert &alert)
    {
        truncated_.add();
        // Cut, not dropped, and said so: once in the log, every time in the counter and in the message.
        if (!truncation_logged_) {
            truncation_logged_ = true;
            host().logf(VIGIL_LOG_WARNING,
                        "syslog: the message of alert %s was cut to max_message_bytes = %zu (cuts are counted in "
                        "<output>_messages_truncated; the element's msg_octets says the full size)",
                        alert.rule != nullptr ? alert.rule : "?", settings_.max_bytes);
        }
    }

    Transport transport_;
    MessageSettings settings_;
    vigil::Counter truncated_;
    bool truncation_logged_ = false;
    std::string batch_; // reused from one request to the next
    std::string message_;
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("transport", VIGIL_CONFIG_STRING, "\"unix\"",
                      "\"unix\" (the local syslog datagram socket), \"udp\" (RFC 5426) or \"tcp\" (RFC 6587 "
                      "octet counting)."),
    vigil::config_key("path", VIGIL_CONFIG_STRING, "\"/dev/log\"", "The local syslog socket, for transport \"unix\"."),
    vigil::config_key("address", VIGIL_CONFIG_STRING, "\"\"",
                      "The receiver as \"host:port\" or \"[v6]:port\", for transports \"udp\" and \"tcp\"."),
    vigil::config_key("facility", VIGIL_CONFIG_STRING, "\"local0\"",
                      "The facility: \"local0\" to \"local7\", \"auth\", \"authpriv\", \"daemon\", ... or 0 to 23."),
    vigil::config_key("message", VIGIL_CONFIG_STRING, "\"summary\"",
                      "The MSG: \"summary\" (the alert's sentence) or \"json\" (the whole alert as JSON)."),
    vigil::config_key("app_name", VIGIL_CONFIG_STRING, "\"vigil\"", "The APP-NAME of every message."),
    vigil::config_key("max_message_bytes", VIGIL_CONFIG_INTEGER, "0",
                      "The largest message; its MSG is cut to fit. 0: 2048 on UDP, 8192 on unix and TCP."),
    vigil::config_key("timeout_ms", VIGIL_CONFIG_INTEGER, "5000",
                      "Milliseconds for connecting, for one send, and for TCP's acknowledgement of a batch."),
};

const vigil_route default_route = vigil::route({}); // a SIEM: every alert

const vigil_plugin_descriptor descriptor = vigil::describe_output<SyslogOutput>({
    .name = "syslog",
    .version = "0.1.0",
    .description = "Sends alerts as RFC 5424 syslog messages to the local socket, UDP or TCP.",
    .config_keys = config_keys,
    .default_route = &default_route,
});

} // namespace
} // namespace vigil_syslog

VIGIL_EXPORT_PLUGIN(vigil_syslog::descriptor)
