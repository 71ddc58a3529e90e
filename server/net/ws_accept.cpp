// accept_key (declared in ws_frame.hpp) lives apart so that the framing itself needs no
// Beast: the fuzz target compiles ws_frame.cpp alone.
#include <boost/beast/websocket/detail/hybi13.hpp>

#include "net/ws_frame.hpp"

namespace mockloop::net::ws {

std::string accept_key(std::string_view client_key) {
  namespace d = boost::beast::websocket::detail;
  if (client_key.size() > d::sec_ws_key_type::static_capacity) return {};
  d::sec_ws_accept_type accept;
  d::make_sec_ws_accept(accept, client_key);
  return std::string(accept.data(), accept.size());
}

}  // namespace mockloop::net::ws
