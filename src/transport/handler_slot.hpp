// Memory for handlers posted from one thread to another without touching the heap.
//
// Asio recycles handler memory per thread, which works when a handler is allocated and freed on
// the same thread. A handler posted across threads is allocated on one and freed on the other,
// so that cache never refills and every post would hit the heap. A direction that keeps at most
// one posted handler in flight (the in-process transport's drains) can instead reuse a single
// block; SlotAllocator hands it out, and falls back to the heap if the block is taken or small.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>

namespace penlink::transport {

class HandlerSlot {
public:
    /// The block, or nullptr if it is in use or too small.
    void* try_take(std::size_t size) {
        if (size > storage_.size() || in_use_.exchange(true, std::memory_order_acquire))
            return nullptr;
        return storage_.data();
    }
    /// Gives the block back if p is it; false otherwise.
    bool give_back(void* p) {
        if (p != storage_.data()) return false;
        in_use_.store(false, std::memory_order_release);
        return true;
    }

private:
    alignas(std::max_align_t) std::array<std::byte, 256> storage_{};
    std::atomic<bool> in_use_{false};
};

/// A standard allocator over a shared HandlerSlot, for boost::asio::bind_allocator. The slot is
/// held by shared_ptr so it outlives every handler that may still give memory back.
template <typename T>
class SlotAllocator {
public:
    using value_type = T;

    explicit SlotAllocator(std::shared_ptr<HandlerSlot> slot) : slot_(std::move(slot)) {}
    template <typename U>
    SlotAllocator(const SlotAllocator<U>& other) : slot_(other.slot()) {}

    T* allocate(std::size_t n) {
        if (alignof(T) <= alignof(std::max_align_t)) {
            if (void* block = slot_->try_take(n * sizeof(T))) return static_cast<T*>(block);
        }
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) {
        if (!slot_->give_back(p)) std::allocator<T>().deallocate(p, n);
    }

    const std::shared_ptr<HandlerSlot>& slot() const { return slot_; }

    template <typename U>
    bool operator==(const SlotAllocator<U>& other) const {
        return slot_ == other.slot();
    }

private:
    std::shared_ptr<HandlerSlot> slot_;
};

}  // namespace penlink::transport
