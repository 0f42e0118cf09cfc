// hiredis as a pure protocol library: formatting and reply parsing, no sockets. Each redisReply* is converted
// into a redis_value right where hiredis hands it over and freed before anything else runs.
#include "storage/resp.hpp"

#include <hiredis/hiredis.h>

#include <memory>
#include <stdexcept>

#include "storage/storage_error.hpp"

namespace rb {
namespace {

redisReader* as_reader(void* p) { return static_cast<redisReader*>(p); }

[[noreturn]] void protocol_error(const char* what) {
    throw boost::system::system_error(make_error_code(storage_errc::protocol), what);
}

redis_value convert(const redisReply* r) {
    using t = redis_value::type;
    switch (r->type) {
        case REDIS_REPLY_INTEGER:
            return redis_value::from_integer(r->integer);
        case REDIS_REPLY_STATUS:
            return redis_value::from_string({r->str, r->len}, t::status);
        case REDIS_REPLY_STRING:
            return redis_value::from_string({r->str, r->len}, t::string);
        case REDIS_REPLY_ERROR:
            return redis_value::from_string({r->str, r->len}, t::error);
        case REDIS_REPLY_NIL:
            return redis_value::nil();
        case REDIS_REPLY_ARRAY: {
            redis_value v;
            v.kind = t::array;
            v.elements.reserve(r->elements);
            for (std::size_t i = 0; i < r->elements; ++i) v.elements.push_back(convert(r->element[i]));
            return v;
        }
        default:
            protocol_error("unknown reply type");
    }
}

}  // namespace

void format_command(std::string& out, const std::vector<std::string>& argv) {
    std::vector<const char*> ptrs;
    std::vector<std::size_t> lens;
    ptrs.reserve(argv.size());
    lens.reserve(argv.size());
    for (const auto& a : argv) {
        ptrs.push_back(a.data());
        lens.push_back(a.size());
    }
    char* cmd = nullptr;
    int len = redisFormatCommandArgv(&cmd, static_cast<int>(argv.size()), ptrs.data(), lens.data());
    if (len < 0 || cmd == nullptr) throw std::bad_alloc();
    out.append(cmd, static_cast<std::size_t>(len));
    redisFreeCommand(cmd);
}

resp_reader::resp_reader() : reader_(redisReaderCreate()) {
    if (reader_ == nullptr) throw std::bad_alloc();
}

resp_reader::~resp_reader() { redisReaderFree(as_reader(reader_)); }

void resp_reader::feed(const char* data, std::size_t size) {
    if (redisReaderFeed(as_reader(reader_), data, size) != REDIS_OK) protocol_error(as_reader(reader_)->errstr);
}

std::optional<redis_value> resp_reader::next() {
    void* raw = nullptr;
    if (redisReaderGetReply(as_reader(reader_), &raw) != REDIS_OK) protocol_error(as_reader(reader_)->errstr);
    if (raw == nullptr) return std::nullopt;
    std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(static_cast<redisReply*>(raw), freeReplyObject);
    return convert(reply.get());
}

void resp_reader::reset() {
    redisReaderFree(as_reader(reader_));
    reader_ = redisReaderCreate();
    if (reader_ == nullptr) throw std::bad_alloc();
}

}  // namespace rb
