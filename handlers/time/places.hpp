// Where a runner is, read from what they type after /timezone: an IANA name ("Europe/London"), a city or
// country ("London", "São Paulo", "uk"; templates/zones/cities.json), their local time ("it's 18:40 here",
// "6:40pm") from which the UTC offset is taken, or an offset ("UTC+2", "GMT-5:30"). Also the zones offered
// as buttons (templates/zones/likely.json). Pure: the files come in as strings, "now" as a parameter.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "handlers/texts/template_error.hpp"
#include "handlers/time/time_zone.hpp"

namespace rb {

struct zone_button {
    std::string zone;
    std::string label;
};

class place_index {
public:
    // files: path relative to templates/ -> content; reads zones/cities.json and zones/likely.json.
    static std::variant<place_index, template_error> load(const std::map<std::string, std::string>& files);

    // The zone of a city, alias or country, written any way ("Sao Paulo", "SÃO PAULO", "new  york").
    std::optional<std::string> zone_of(std::string_view place) const;
    // Up to five zones to offer for a Telegram language code ("en", "pt-br"); never empty.
    const std::vector<zone_button>& likely(std::string_view language_code) const;
    // Every zone the files name, for check-config to hold against the system's tzdata.
    std::vector<std::string> zones() const;
    std::size_t size() const { return places_.size(); }

private:
    std::map<std::string, std::string, std::less<>> places_;  // folded name -> zone
    std::map<std::string, std::vector<zone_button>, std::less<>> likely_;
};

// How a /timezone answer was understood.
enum class zone_reading { name, place, local_time, offset };
struct zone_answer {
    std::string zone;  // an IANA name the catalog holds ("Etc/GMT-2" for a plain UTC+2)
    zone_reading how = zone_reading::name;
};

// nullopt when the text is none of the forms above (or names a zone the catalog does not hold).
std::optional<zone_answer> read_zone_answer(std::string_view text, const place_index& places, const zone_catalog& zones,
                                            std::int64_t now_ms);

// A message that only says where the runner is, sent without /timezone: "my time zone is PST", "timezone:
// utc+2", "I'm in Chicago", "I live in the UK now". nullopt for anything more or else ("I'm in pain", "I'm in
// Chicago for the marathon"): the message is then read as it would have been.
std::optional<zone_answer> read_zone_statement(std::string_view text, const place_index& places,
                                               const zone_catalog& zones, std::int64_t now_ms);

// The zone for a UTC offset in minutes: Etc/GMT-N for whole hours (the sign is POSIX's, inverted), a real
// zone that has that offset at now_ms for the half and quarter hours (+05:30 Asia/Kolkata; +10:30 is Lord Howe
// in the southern winter and Adelaide in summer); nullopt past -12h..+14h or when no zone has it now.
std::optional<std::string> zone_for_offset(int offset_minutes, const zone_catalog& zones, std::int64_t now_ms);

// Lower-case ASCII with accents folded and spaces collapsed: "São  Paulo" -> "sao paulo".
std::string fold_place(std::string_view text);

}  // namespace rb
