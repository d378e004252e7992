#include "core/subscription_impl.hpp"

namespace penlink {

Subscription::Subscription() = default;
Subscription::Subscription(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Subscription::~Subscription() { unsubscribe(); }
Subscription::Subscription(Subscription&& other) noexcept = default;

Subscription& Subscription::operator=(Subscription&& other) noexcept {
    if (this != &other) {
        unsubscribe();
        impl_ = std::move(other.impl_);
    }
    return *this;
}

void Subscription::unsubscribe() {
    if (auto impl = std::move(impl_)) impl->run_cancel();
}

bool Subscription::active() const { return impl_ && impl_->active(); }

StatusRate Subscription::status_rate() const {
    return impl_ && impl_->status_rate && impl_->active() ? impl_->status_rate() : StatusRate{};
}

}  // namespace penlink
