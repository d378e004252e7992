#include "proxy.hpp"

#include <cstdio>

#include "upstream.hpp"

namespace penlink::proxytool {
namespace {

constexpr auto kPenRetry = std::chrono::milliseconds(100);

std::size_t index_of(Direction direction) { return direction == Direction::HostToPen ? 0 : 1; }

void append_stats(std::string& out, Direction direction, const DirectionStats& s) {
    const std::string p = std::string(to_string(direction)) + ".";
    auto field = [&](const char* name, std::uint64_t value) {
        out += p + name + "=" + std::to_string(value) + " ";
    };
    field("frames", s.frames);
    field("forwarded", s.forwarded);
    field("dropped", s.dropped);
    field("duplicated", s.duplicated);
    field("corrupted", s.corrupted);
    field("truncated", s.truncated);
    field("shed", s.shed);
    field("status_frames", s.status_frames);
    field("status_lost", s.status_lost);
    field("bytes_in", s.bytes_in);
    field("bytes_out", s.bytes_out);
}

}  // namespace

// Streams first, pipes after: the pipes write to the streams, so they go first.
struct Proxy::Link {
    explicit Link(boost::asio::io_context& io) : retry_timer(io) {}
    std::unique_ptr<ByteStream> host;
    std::unique_ptr<ByteStream> pen;  // null while the pen side is down
    std::unique_ptr<DirectionPipe> to_pen;
    std::unique_ptr<DirectionPipe> to_host;
    std::array<std::uint8_t, 4096> host_buffer{};
    std::array<std::uint8_t, 4096> pen_buffer{};
    boost::asio::steady_timer retry_timer;
    std::uint64_t pen_generation = 0;  // tells reads of an earlier pen stream apart
    bool reading_host = false;
    bool open = true;
};

Proxy::Proxy(boost::asio::io_context& io, HostSide& host_side, std::string upstream_url, bool quiet)
    : io_(io), host_side_(host_side), upstream_url_(std::move(upstream_url)), quiet_(quiet) {
    reseed(1);
}

void Proxy::reseed(std::uint64_t seed) {
    random_[0].reseed(seed * 2);
    random_[1].reseed(seed * 2 + 1);
}

Proxy::~Proxy() { stop(); }

void Proxy::start() {
    running_ = true;
    host_side_.start([this](std::unique_ptr<ByteStream> host) { on_host(std::move(host)); });
}

void Proxy::stop() {
    if (!running_) return;
    running_ = false;
    if (link_) end_link(link_, "the proxy is stopping", false);
    host_side_.stop();
}

FaultSettings& Proxy::settings(Direction direction) { return settings_[index_of(direction)]; }

void Proxy::settings_changed() {
    if (!link_) return;
    if (link_->to_pen) link_->to_pen->wake();
    if (link_->to_host) link_->to_host->wake();
}

void Proxy::clear_faults() {
    for (auto& settings : settings_) settings = FaultSettings{};
    settings_changed();
}

bool Proxy::unplug() {
    if (!link_) return false;
    end_link(link_, "unplugged by command", true);
    return true;
}

std::string Proxy::stats_text() const {
    std::string out;
    append_stats(out, Direction::HostToPen, stats_[0]);
    append_stats(out, Direction::PenToHost, stats_[1]);
    out += "links=" + std::to_string(links_) + " host=" + (link_ ? "1" : "0") +
           " pen=" + (link_ && link_->pen ? "1" : "0");
    return out;
}

void Proxy::log(const std::string& text) const {
    if (!quiet_) std::fprintf(stderr, "penlink-proxy: %s\n", text.c_str());
}

void Proxy::on_host(std::unique_ptr<ByteStream> host) {
    if (!running_) return;
    if (link_) end_link(link_, "a new host connected", false);
    auto link = std::make_shared<Link>(io_);
    link->host = std::move(host);
    link->to_host = std::make_unique<DirectionPipe>(
        io_, settings(Direction::PenToHost), stats_[index_of(Direction::PenToHost)],
        random_[index_of(Direction::PenToHost)], *link->host);
    link_ = link;
    ++links_;
    log("host connected (link " + std::to_string(links_) + ")");
    open_pen_side(link);
}

void Proxy::open_pen_side(const std::shared_ptr<Link>& link) {
    open_upstream(io_, upstream_url_,
                  [this, weak = std::weak_ptr<Link>(link)](std::unique_ptr<ByteStream> pen,
                                                           const std::string& error) {
                      const auto alive = weak.lock();
                      if (!alive || !alive->open) {
                          if (pen) pen->close();
                          return;
                      }
                      if (!pen) {
                          pen_lost(alive, error);
                          return;
                      }
                      attach_pen(alive, std::move(pen));
                  });
}

void Proxy::attach_pen(const std::shared_ptr<Link>& link, std::unique_ptr<ByteStream> pen) {
    link->pen = std::move(pen);
    link->to_pen = std::make_unique<DirectionPipe>(
        io_, settings(Direction::HostToPen), stats_[index_of(Direction::HostToPen)],
        random_[index_of(Direction::HostToPen)], *link->pen);
    ++link->pen_generation;
    log("pen side open: " + upstream_url_);
    read_pen(link, link->pen_generation);
    // The host is read only once a pen is there to take its bytes; until then the OS keeps them.
    if (!link->reading_host) {
        link->reading_host = true;
        read_host(link);
    }
}

void Proxy::read_host(const std::shared_ptr<Link>& link) {
    link->host->read_some(
        link->host_buffer, [this, link](const boost::system::error_code& error, std::size_t size) {
            if (!link->open) return;
            if (error) {
                end_link(link,
                         error == boost::asio::error::eof ? "host disconnected"
                                                          : "host read failed: " + error.message(),
                         true);
                return;
            }
            if (link->to_pen) link->to_pen->feed({link->host_buffer.data(), size});
            read_host(link);
        });
}

void Proxy::read_pen(const std::shared_ptr<Link>& link, std::uint64_t generation) {
    link->pen->read_some(
        link->pen_buffer,
        [this, link, generation](const boost::system::error_code& error, std::size_t size) {
            if (!link->open || generation != link->pen_generation) return;
            if (error) {
                pen_lost(link, error == boost::asio::error::eof
                                   ? "the pen closed the link"
                                   : "pen read failed: " + error.message());
                return;
            }
            link->to_host->feed({link->pen_buffer.data(), size});
            read_pen(link, generation);
        });
}

void Proxy::pen_lost(const std::shared_ptr<Link>& link, const std::string& reason) {
    if (pen_loss_ == PenLoss::HangUp || !link->reading_host) {
        end_link(link, reason, true);
        return;
    }
    log(reason + "; keeping the host connected, reopening the pen side");
    if (link->pen) link->pen->close();
    ++link->pen_generation;
    link->to_pen.reset();
    link->pen.reset();
    link->retry_timer.expires_after(kPenRetry);
    link->retry_timer.async_wait([this, link](const boost::system::error_code& error) {
        if (!error && link->open) open_pen_side(link);
    });
}

void Proxy::end_link(const std::shared_ptr<Link>& link, const std::string& reason, bool hang_up) {
    if (!link->open) return;
    link->open = false;
    log("closing the link: " + reason);
    link->retry_timer.cancel();
    link->host->close();
    if (link->pen) link->pen->close();
    link->to_pen.reset();
    link->to_host.reset();
    if (link_ == link) link_.reset();
    if (hang_up && running_) host_side_.hung_up();
}

}  // namespace penlink::proxytool
