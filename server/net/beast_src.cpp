// The one translation unit that compiles Asio's and Beast's separately-compiled parts
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION are set for every
// user of mockloop_net).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
