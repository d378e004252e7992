// One end of the proxy: a TCP socket, a pty master or an opened serial path, behind one small
// interface so the direction pipes do not care which. Single-threaded (the io_context's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

namespace penlink::proxytool {

class ByteStream {
public:
    using Handler = std::function<void(const boost::system::error_code&, std::size_t)>;

    virtual ~ByteStream() = default;
    virtual void read_some(std::span<std::uint8_t> into, Handler done) = 0;
    virtual void write_some(std::span<const std::uint8_t> from, Handler done) = 0;
    /// Closes the stream; pending reads and writes complete with an error. Idempotent.
    virtual void close() = 0;
};

/// A ByteStream over any Boost.Asio stream (ip::tcp::socket, posix::stream_descriptor).
/// on_close runs once, after the stream is closed (a pty host uses it to close its slave fd).
template <typename Stream>
class AsioByteStream final : public ByteStream {
public:
    explicit AsioByteStream(Stream stream, std::function<void()> on_close = {})
        : stream_(std::move(stream)), on_close_(std::move(on_close)) {}
    ~AsioByteStream() override { close(); }

    void read_some(std::span<std::uint8_t> into, Handler done) override {
        stream_.async_read_some(boost::asio::buffer(into.data(), into.size()), std::move(done));
    }
    void write_some(std::span<const std::uint8_t> from, Handler done) override {
        stream_.async_write_some(boost::asio::buffer(from.data(), from.size()), std::move(done));
    }
    void close() override {
        boost::system::error_code ignored;
        stream_.close(ignored);
        if (on_close_) std::exchange(on_close_, {})();
    }

private:
    Stream stream_;
    std::function<void()> on_close_;
};

}  // namespace penlink::proxytool
