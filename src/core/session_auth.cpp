// Session, authenticated sessions (docs/protocol.md section 16): the host's half of the
// handshake, which frames it accepts once authenticated, the counts of what it rejected, and
// key rotation. No key, proof or session key is ever logged or put in a message.
#include <future>

#include <boost/asio/post.hpp>

#include "core/log.hpp"
#include "core/session_auth.hpp"

namespace penlink::core {
namespace {

// At most one FrameRejected event (and one warning) per this interval; the counts are exact.
constexpr std::chrono::milliseconds kRejectionReportInterval{100};

std::string pen_name(const protocol::HelloReply& reply, const std::string& url) {
    return "the pen " + (reply.serial.empty() ? std::string("(no serial)") : reply.serial) +
           " at " + url;
}

}  // namespace

void Session::authenticate(const protocol::Hello& hello, const protocol::HelloReply& reply,
                           Clock::time_point deadline) {
    std::optional<protocol::crypto::Key> key;
    if (changed_key_) {
        key = *changed_key_;
    } else if (const std::uint8_t* stored = options_.keys.find(reply.serial)) {
        key.emplace();
        std::copy(stored, stored + key->size(), key->begin());
    }
    const std::string pen = pen_name(reply, url_);
    if (!key) {
        if (reply.auth_mode == protocol::AuthMode::Required) {
            throw AuthenticationError(
                ErrorCode::AuthenticationRequired,
                pen +
                    " requires an authenticated session, and penlink holds no key for it: add "
                    "its key (ConnectOptions keys, or a key file with a line \"" +
                    reply.serial + " KEY\")");
        }
        if (options_.require_authentication) {
            throw AuthenticationError(
                ErrorCode::AuthenticationRequired,
                pen +
                    " would be driven unauthenticated, and require_authentication is set: "
                    "penlink holds no key for it");
        }
        return;  // an open pen, driven unauthenticated (development)
    }
    struct Wipe {
        protocol::crypto::Key& key;
        ~Wipe() { protocol::crypto::wipe(key); }
    } wipe{*key};
    if (protocol::all_zero(reply.key_id) || protocol::all_zero(reply.pen_proof)) {
        throw AuthenticationError(
            ErrorCode::PenNotAuthentic,
            pen +
                " did not authenticate itself, though penlink holds a key for it: it is not "
                "the pen that key belongs to, or something between them removed the proof");
    }
    if (!protocol::crypto::equal(protocol::key_id_of(*key), reply.key_id)) {
        throw AuthenticationError(
            ErrorCode::KeyRejected,
            "the key penlink holds for " + pen +
                " is not the pen's key (the pen names another key): was it rotated?");
    }
    if (!protocol::crypto::equal(protocol::pen_proof(*key, hello, reply), reply.pen_proof)) {
        throw AuthenticationError(ErrorCode::PenNotAuthentic,
                                  pen +
                                      " failed to prove that it holds its key: it may be an "
                                      "impostor, or something between them alters the link");
    }
    run_on_io([this, keys = protocol::derive_session_keys(*key, hello, reply)] {
        auth_ = std::make_unique<Auth>(keys);
        decoder_.set_opener(&auth_->opener);
    });
    protocol::Authenticate request;
    request.host_proof = protocol::host_proof(*key, hello, reply);
    try {
        request_sync_reply(request, deadline);
    } catch (const AuthenticationError&) {
        throw;
    } catch (const Error& error) {
        if (error.code() == ErrorCode::Timeout) throw;
        throw AuthenticationError(ErrorCode::KeyRejected,
                                  pen + " refused the authentication: " + error.what());
    }
    if (!authenticated_.load()) {
        throw AuthenticationError(ErrorCode::PenNotAuthentic,
                                  pen +
                                      " acknowledged the authentication without the session "
                                      "key: it is not the pen the key belongs to");
    }
    log(LogLevel::Info, "authenticated session with " + pen);
}

bool Session::admit_frame(const protocol::DecodedFrame& frame) {
    if (!auth_) return true;  // not authenticated: nothing is sealed (sealed frames fail decode)
    if (frame.sealed) {
        authenticated_ = true;  // the pen holds the session key: it is the pen
        return true;
    }
    if (!authenticated_) {
        // Handshake: only the plain Nack answering our Authenticate counts; anything else
        // plain (an event from before it) is ignored, not a security event.
        const auto* nack = std::get_if<protocol::Nack>(&frame.message);
        return nack != nullptr && nack->request == protocol::MessageType::Authenticate &&
               authenticate_seq_ == frame.header.seq;
    }
    on_rejected_frame(protocol::FrameError::Unexpected,
                      "an unsealed frame in the authenticated session");
    return false;
}

void Session::on_rejected_frame(protocol::FrameError error, const char* what) {
    std::uint64_t total = 0;
    switch (error) {
        case protocol::FrameError::Mac:
            ++forged_;
            break;
        case protocol::FrameError::Replay:
            ++replayed_;
            break;
        default:
            ++unauthenticated_;
            break;
    }
    total = forged_.load() + replayed_.load() + unauthenticated_.load();
    const auto now = Clock::now();
    if (last_rejection_report_ && now - *last_rejection_report_ < kRejectionReportInterval) return;
    last_rejection_report_ = now;
    log(LogLevel::Warning, "rejected a frame from " + url_ + ": " +
                               (what != nullptr ? what : protocol::to_string(error)) + " (" +
                               std::to_string(total) +
                               " rejected in this session; see security_stats())");
    Event event;
    event.kind = EventKind::FrameRejected;
    event.detail = static_cast<std::uint32_t>(std::min<std::uint64_t>(total, UINT32_MAX));
    notify(&Session::event_handlers_, "event", event);
}

SecurityStats Session::security_stats() const {
    SecurityStats stats;
    stats.authenticated = authenticated_.load();
    stats.forged = forged_.load();
    stats.replayed = replayed_.load();
    stats.unauthenticated = unauthenticated_.load();
    stats.rejected_by_pen = rejected_by_pen_.load();
    return stats;
}

void Session::change_key(const protocol::crypto::Key& key) {
    std::lock_guard connect_lock(connect_mutex_);
    protocol::ChangeKey request;
    bool ready = false;
    run_on_io([this, &key, &request, &ready] {
        if (!auth_ || !authenticated_) return;
        request.wrapped_key = protocol::crypto::wrap_key(auth_->keys.key_wrap, key);
        ready = true;
    });
    if (!ready) {
        throw AuthenticationError(
            ErrorCode::AuthenticationRequired,
            "cannot change the key of the pen at " + url_ + ": the session is not authenticated");
    }
    request_sync(request);
    changed_key_ = key;
    log(LogLevel::Info, "installed a new key on the pen at " + url_);
}

}  // namespace penlink::core
