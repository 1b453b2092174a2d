#include "switchboard/ice/ice_server.hpp"

#include "switchboard/ice/ice_url.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <utility>

namespace switchboard::ice {

namespace {

constexpr std::string_view list_name = "ice servers";

std::string entry_name(std::size_t index) {
    return std::string{list_name} + "[" + std::to_string(index) + "]";
}

config_error entry_error(std::size_t index, std::string_view what) {
    return {entry_name(index).append(": ").append(what)};
}

// Reads "urls" (or the legacy "url") as a non-empty list of checked URLs.
config_result<std::vector<std::string>> parse_urls(std::size_t index, std::string_view key,
                                                   const boost::json::value& value,
                                                   std::vector<ice_url>& parsed) {
    std::vector<std::string> urls;
    const auto add = [&](std::string_view field,
                         const boost::json::value& url) -> config_result<void> {
        auto where = entry_name(index).append(".").append(field);
        const auto* text = url.if_string();
        if (text == nullptr) {
            return config_error{where.append(": must be a string")};
        }
        auto checked = parse_ice_url(*text);
        if (!checked) {
            // parse_ice_url's message starts with the quoted URL.
            return config_error{where.append(" ").append(checked.error().message)};
        }
        parsed.push_back(std::move(*checked));
        urls.emplace_back(*text);
        return {};
    };

    if (const auto* array = value.if_array()) {
        if (array->empty()) {
            return entry_error(index, "\"" + std::string{key} + "\" must not be empty");
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            auto added = add(std::string{key} + "[" + std::to_string(i) + "]", (*array)[i]);
            if (!added) {
                return added.error();
            }
        }
    } else if (value.is_string()) {
        auto added = add(key, value);
        if (!added) {
            return added.error();
        }
    } else {
        return entry_error(index,
                           "\"" + std::string{key} + "\" must be a string or an array of strings");
    }
    return urls;
}

// A std::string could also initialise config_error, so values are returned tagged.
config_result<std::string> optional_string(std::size_t index, const boost::json::object& entry,
                                           std::string_view key) {
    const auto* value = entry.if_contains(key);
    if (value == nullptr) {
        return {boost::system::in_place_value};
    }
    const auto* text = value->if_string();
    if (text == nullptr) {
        return entry_error(index, "\"" + std::string{key} + "\" must be a string");
    }
    return {boost::system::in_place_value, *text};
}

config_result<ice_server> parse_entry(std::size_t index, const boost::json::value& value) {
    const auto* entry = value.if_object();
    if (entry == nullptr) {
        return entry_error(index, "must be an object");
    }
    for (const auto& field : *entry) {
        const auto key = field.key();
        if (key == "password") {
            // The most common TURN mistake reported against EasyRTC.
            return entry_error(index,
                               "\"password\" is not an RTCIceServer field; use \"credential\"");
        }
        if (key != "urls" && key != "url" && key != "username" && key != "credential") {
            return entry_error(index, "unknown field \"" + std::string{key} +
                                          "\" (allowed: urls, username, credential)");
        }
    }

    const auto* urls_value = entry->if_contains("urls");
    const auto* url_value = entry->if_contains("url");
    if (urls_value != nullptr && url_value != nullptr) {
        return entry_error(index, "has both \"urls\" and the legacy \"url\"; keep \"urls\"");
    }
    if (urls_value == nullptr && url_value == nullptr) {
        return entry_error(index, "missing \"urls\"");
    }

    std::vector<ice_url> parsed;
    auto urls = urls_value != nullptr ? parse_urls(index, "urls", *urls_value, parsed)
                                      : parse_urls(index, "url", *url_value, parsed);
    if (!urls) {
        return urls.error();
    }
    auto username = optional_string(index, *entry, "username");
    if (!username) {
        return username.error();
    }
    auto credential = optional_string(index, *entry, "credential");
    if (!credential) {
        return credential.error();
    }

    const auto turn_count = std::count_if(parsed.begin(), parsed.end(),
                                          [](const ice_url& u) { return is_turn(u.scheme); });
    if (turn_count == 0) {
        if (entry->contains("username") || entry->contains("credential")) {
            return entry_error(index, "STUN entries take no username or credential");
        }
    } else if (static_cast<std::size_t>(turn_count) != parsed.size()) {
        return entry_error(index, "mixes STUN and TURN URLs; put them in separate entries");
    } else if (username->empty() || credential->empty()) {
        return entry_error(index, "TURN entries need a non-empty \"username\" and \"credential\" "
                                  "(or use TURN REST credentials instead)");
    }
    return ice_server{std::move(*urls), std::move(*username), std::move(*credential)};
}

} // namespace

std::vector<ice_server> default_ice_servers() {
    std::vector<ice_server> servers;
    for (const auto url : default_stun_urls) {
        servers.push_back({{std::string{url}}, {}, {}});
    }
    return servers;
}

config_result<std::vector<ice_server>> ice_servers_from_json(const boost::json::value& json) {
    const auto* array = json.if_array();
    if (array == nullptr) {
        return config_error{std::string{list_name} +
                            ": must be a JSON array of RTCIceServer objects"};
    }
    std::vector<ice_server> servers;
    for (std::size_t i = 0; i < array->size(); ++i) {
        auto server = parse_entry(i, (*array)[i]);
        if (!server) {
            return server.error();
        }
        servers.push_back(std::move(*server));
    }
    return servers;
}

config_result<std::vector<ice_server>> parse_ice_servers(std::string_view json) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(json, ec);
    if (ec) {
        return config_error{std::string{list_name} + ": invalid JSON (" + ec.message() + ")"};
    }
    return ice_servers_from_json(value);
}

boost::json::object to_json(const ice_server& server) {
    boost::json::object entry;
    auto& urls = entry["urls"].emplace_array();
    for (const auto& url : server.urls) {
        urls.emplace_back(url);
    }
    if (!server.username.empty()) {
        entry["username"] = server.username;
        entry["credential"] = server.credential;
    }
    return entry;
}

} // namespace switchboard::ice
