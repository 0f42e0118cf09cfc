// Meal requests and their filters ("quick vegan snack please"), greetings, thanks and other small talk.
// A meal request asks for an idea; a question about eating ("when should I eat?") is not one, so timing
// words and yes/no openers keep a message a question.
#include <array>

#include "message_text.hpp"

namespace rb::text {
namespace {

template <std::size_t N>
using words = std::array<std::string_view, N>;

constexpr words<9> vegetarian_w{"vegetarian*", "veggie", "veg", "no meat", "meat free", "meatless",
                                "without meat", "meat-free", "veggo"};
constexpr words<5> vegan_w{"vegan*", "plant based", "plantbased", "no animal", "plant only"};
constexpr words<11> dairy_w{"dairy free", "dairyfree", "no dairy", "without dairy", "non dairy", "nondairy",
                            "lactose*", "no milk", "without milk", "milk free", "dairy intoleran*"};
constexpr words<22> quick_w{"quick*", "fast", "no cook", "no cooking", "not cooking", "without cooking",
                            "no time", "in a hurry", "in a rush", "on the go", "lazy", "instant", "simple",
                            "easy", "minimal", "five minute*", "grab and go", "no prep", "want to cook",
                            "can't cook", "cant cook", "nocook"};

constexpr words<20> meal_nouns{"meal*", "food*", "snack*", "recipe*", "breakfast", "lunch", "dinner", "supper",
                               "brunch", "dish*", "smoothie*", "something to eat", "bite to eat", "menu",
                               "what to cook", "what should i make", "what can i make", "what should i cook",
                               "what can i cook", "what shall i cook"};
constexpr words<22> request_w{"idea*", "suggest*", "recommend*", "give me", "send me", "show me", "i need",
                              "i want", "can i get", "can you", "could you", "please", "pls", "plz",
                              "option*", "what should i have", "what can i have", "a good", "another",
                              "something", "inspiration", "example*"};
constexpr words<9> not_a_request_w{"how much", "how many", "how soon", "how long", "window", "within", "timing",
                                   "do i need", "important"};
constexpr words<9> yes_no_openers{"should", "is", "are", "do", "does", "why", "when", "isn't", "can"};

constexpr words<37> greeting_w{"hi", "hello", "hey", "heya", "hiya", "yo", "howdy", "hallo", "hola", "bonjour",
                               "ciao", "hei", "greetings", "good morning", "good afternoon", "good evening",
                               "morning", "evening", "gm", "sup", "wassup", "what's up", "whats up", "g'day",
                               "gday", "salut", "servus", "moin", "helo", "hii", "hiii", "heyy", "heyyy",
                               "helloo", "hellooo", "hey there", "hi there"};
constexpr words<18> thanks_w{"thank*", "thx", "thnx", "thnks", "ty", "tysm", "tyvm", "cheers", "much appreciated",
                             "appreciate*", "merci", "gracias", "danke", "ta", "legend", "thanku", "thankyou",
                             "grazie"};
constexpr words<35> small_talk_w{"how are you", "how r u", "how's it going", "hows it going", "ok", "okay", "cool",
                                 "nice", "great", "awesome", "perfect", "lol", "haha*", "bye", "goodbye",
                                 "good night", "goodnight", "see you", "see ya", "cya", "who are you", "good bot",
                                 "yes", "yeah", "yep", "yup", "sure", "fine", "alright", "got it", "roger",
                                 "sounds good", "love it", "brilliant", "amazing"};

std::size_t word_count(const tokens& t) {
    std::size_t n = 0;
    for (const token& k : t) n += k.kind != token_kind::punct ? 1 : 0;
    return n;
}

std::size_t first_word(const tokens& t) {
    std::size_t i = 0;
    while (i < t.size() && t[i].kind == token_kind::punct) ++i;
    return i;
}

// True when the message opens with one of the phrases (which may be longer than one word).
bool opens_with(const tokens& t, std::span<const std::string_view> phrases) {
    const std::size_t first = first_word(t);
    for (std::string_view p : phrases)
        if (match_at(t, first, t.size(), p) > 0) return true;
    return false;
}

}  // namespace

meal_filters find_filters(const tokens& t) {
    meal_filters f;
    f.vegan = has_any(t, 0, t.size(), vegan_w);
    f.vegetarian = has_any(t, 0, t.size(), vegetarian_w);
    f.dairy_free = has_any(t, 0, t.size(), dairy_w);
    f.quick = has_any(t, 0, t.size(), quick_w);
    return f;
}

// A meal noun with a request, a filter, or on its own ("recovery snack?"); "eat" with a request or
// filter ("something vegan to eat"); or a diet filter on its own ("vegan?"). Never when asked about
// timing or amounts, or as a yes/no question.
bool asks_for_meal(const tokens& t, const meal_filters& filters) {
    if (has_any(t, 0, t.size(), not_a_request_w)) return false;
    if (opens_with(t, yes_no_openers) && !has_any(t, 0, t.size(), request_w)) return false;
    const bool requested = has_any(t, 0, t.size(), request_w);
    const bool asked = requested || filters.any();
    const bool short_message = word_count(t) <= 4;
    if (has_any(t, 0, t.size(), meal_nouns)) return asked || short_message;
    if (has_phrase(t, 0, t.size(), "eat")) return asked;
    // "vegan?", "dairy free options please", "something quick": a filter alone asks for a meal.
    const bool diet = filters.vegetarian || filters.vegan || filters.dairy_free;
    return (diet && (short_message || requested)) || (filters.quick && requested && short_message);
}

bool is_greeting(const tokens& t) {
    return opens_with(t, greeting_w);
}

bool is_thanks(const tokens& t) {
    const std::size_t at = find_any(t, 0, t.size(), thanks_w);
    if (at == t.size()) return false;
    return !is_word(t, at, "ta") || word_count(t) <= 3;  // "ta" alone is thanks; inside a sentence, rarely
}

// Short chatter the bot should answer kindly rather than with its help text.
bool is_small_talk(const tokens& t) {
    return word_count(t) <= 5 && opens_with(t, small_talk_w);
}

}  // namespace rb::text
