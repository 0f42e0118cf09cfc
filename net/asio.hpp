// Short names for the Asio/Beast types every async file uses, and the Boost 1.81 idioms in one place.
// 1.81 has no default completion token: every co_await names use_awaitable (or as_tuple(use_awaitable)).
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>

namespace rb {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

template <typename T = void>
using awaitable = net::awaitable<T>;

using net::use_awaitable;
inline constexpr auto as_tuple_awaitable = net::as_tuple(net::use_awaitable);

// Sockets and timers whose default completion token is use_awaitable, so `co_await s.async_read_some(buf)` works.
using awaitable_executor = net::use_awaitable_t<>::executor_with_default<net::any_io_executor>;
using tcp_socket = net::use_awaitable_t<>::as_default_on_t<tcp::socket>;
using tcp_acceptor = net::use_awaitable_t<>::as_default_on_t<tcp::acceptor>;
using steady_timer = net::use_awaitable_t<>::as_default_on_t<net::steady_timer>;
using tcp_stream = beast::tcp_stream::rebind_executor<awaitable_executor>::other;

}  // namespace rb
