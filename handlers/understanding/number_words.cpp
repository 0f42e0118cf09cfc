// English numbers written as words, as runners type them: "fifteen", "twenty-six" (the hyphen is already a
// space), "a hundred", "one hundred and ten", "thirteen point one". Only what a run distance needs.
#include <array>

#include "handlers/understanding/message_text.hpp"

namespace rb::text {
namespace {

constexpr std::array<std::string_view, 20> units_words{
    "zero", "one",    "two",    "three",    "four",     "five",    "six",     "seven",     "eight",    "nine",
    "ten",  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 8> tens_words{"twenty", "thirty",  "forty",  "fifty",
                                                     "sixty",  "seventy", "eighty", "ninety"};

// Value of a single number word below one hundred, or -1.
int small_number(const tokens& t, std::size_t i) {
    if (i >= t.size() || t[i].kind != token_kind::word) return -1;
    for (std::size_t k = 0; k < units_words.size(); ++k)
        if (t[i].text == units_words[k]) return static_cast<int>(k);
    for (std::size_t k = 0; k < tens_words.size(); ++k)
        if (t[i].text == tens_words[k]) return static_cast<int>(20 + 10 * k);
    if (t[i].text == "fourty") return 40;  // a common misspelling
    if (t[i].text == "dozen") return 12;   // "a dozen miles" (read with its article below)
    return -1;
}

// "point one", "point two five": the digits after a spoken decimal point.
double read_decimals(const tokens& t, std::size_t& i, std::size_t end) {
    double fraction = 0;
    double scale = 0.1;
    while (i < end) {
        const int d = small_number(t, i);
        if (d < 0 || d > 9) break;
        fraction += d * scale;
        scale /= 10;
        ++i;
    }
    return fraction;
}

}  // namespace

// Grammar: [ (a|one..nine) hundred [and] ] [ (twenty..ninety) [one..nine] | zero..nineteen ] [point digit...]
std::optional<double> read_number_words(const tokens& t, std::size_t i, std::size_t end, std::size_t& next) {
    double total = 0;
    bool any = false;
    std::size_t k = i;
    if ((is_word(t, k, "a") || is_word(t, k, "half")) && is_word(t, k + 1, "dozen") && k + 1 < end) {
        next = k + 2;  // "a dozen", "half a dozen" is read as "half" + "a dozen" elsewhere
        return is_word(t, k, "half") ? 6.0 : 12.0;
    }
    const int lead = (is_word(t, k, "a") || is_word(t, k, "an")) ? 1 : small_number(t, k);
    if (lead >= 1 && lead <= 9 && k + 1 < end && is_word(t, k + 1, "hundred")) {
        total = lead * 100;
        any = true;
        k += 2;
        if (is_word(t, k, "and") && small_number(t, k + 1) > 0) ++k;
    }
    const int v = k < end ? small_number(t, k) : -1;
    if (v >= 0) {
        total += v;
        any = true;
        ++k;
        const int unit = v >= 20 && k < end ? small_number(t, k) : -1;
        if (unit >= 1 && unit <= 9) {
            total += unit;
            ++k;
        }
    }
    if (!any) return std::nullopt;
    const int d = k + 1 < end && is_word(t, k, "point") ? small_number(t, k + 1) : -1;
    if (d >= 0 && d <= 9) {
        ++k;
        total += read_decimals(t, k, end);
    }
    next = k;
    return total;
}

}  // namespace rb::text
