#include "core/random.hpp"

#include <sodium.h>

#include <cstdlib>
#include <cstdio>
#include <vector>

namespace core {

SodiumRandom::SodiumRandom() {
  if (sodium_init() < 0) {
    std::fputs("fatal: libsodium could not initialise\n", stderr);
    std::abort();
  }
}

std::string SodiumRandom::Token(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

}  // namespace core
