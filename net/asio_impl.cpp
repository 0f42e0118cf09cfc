// The one translation unit that compiles Asio, Asio's SSL and Beast (BOOST_*_SEPARATE_COMPILATION).
// Every other file includes only the declarations, which keeps each rebuild on two cores short.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
