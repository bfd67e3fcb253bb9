// SPDX-License-Identifier: Apache-2.0
#include "gzip.hpp"

#include <stdexcept>

#include <zlib.h>

namespace vigil_datadog {

std::string gzip(std::string_view data)
{
    z_stream stream{};
    // 15 + 16: a window of 2^15 and the gzip wrapper instead of zlib's.
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib: deflateInit2 failed");
    }
    std::string out;
    out.resize(deflateBound(&stream, static_cast<uLong>(data.size())) + 32);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    const auto written = stream.total_out;
    deflateEnd(&stream);
    if (status != Z_STREAM_END) {
        throw std::runtime_error("zlib: deflate did not finish");
    }
    out.resize(written);
    return out;
}

} // namespace vigil_datadog
