// SPDX-License-Identifier: Apache-2.0
// A bounded map that evicts its least recently used entry when full: the
// table behind every cache of the container resolver, so that no cache can
// grow with the number of cgroups a node ever had.
#pragma once

#include <algorithm>
#include <cstddef>
#include <list>
#include <optional>
#include <unordered_map>
#include <utility>

namespace vigil::containers {

template <typename Key, typename Value> class LruTable {
public:
    // A capacity of 0 is taken as 1: a table must be able to hold what it was just given.
    explicit LruTable(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1))
    {
        index_.reserve(capacity_);
    }

    // The value stored under @key, now the most recently used; nullptr if absent.
    // Allocates nothing: a hit only relinks a list node.
    Value *find(const Key &key)
    {
        auto found = index_.find(key);
        if (found == index_.end())
            return nullptr;
        entries_.splice(entries_.begin(), entries_, found->second);
        return &found->second->second;
    }

    // The value stored under @key without changing its recency; nullptr if absent.
    const Value *peek(const Key &key) const
    {
        auto found = index_.find(key);
        return found == index_.end() ? nullptr : &found->second->second;
    }

    bool contains(const Key &key) const { return index_.contains(key); }

    // Stores @value under @key as the most recently used entry, replacing any
    // value it had. If the table was full, the least recently used entry makes
    // room and is returned.
    std::optional<std::pair<Key, Value>> insert_or_assign(const Key &key, Value value)
    {
        if (Value *existing = find(key)) {
            *existing = std::move(value);
            return std::nullopt;
        }
        std::optional<std::pair<Key, Value>> evicted;
        if (entries_.size() >= capacity_) {
            index_.erase(entries_.back().first);
            evicted.emplace(std::move(entries_.back()));
            entries_.pop_back();
        }
        entries_.emplace_front(key, std::move(value));
        index_.emplace(key, entries_.begin());
        return evicted;
    }

    // Returns whether @key was there.
    bool erase(const Key &key)
    {
        auto found = index_.find(key);
        if (found == index_.end())
            return false;
        entries_.erase(found->second);
        index_.erase(found);
        return true;
    }

    // Calls @visit(key, value) for every entry, most recently used first, without
    // counting it as a use.
    template <typename Visit> void for_each(Visit &&visit)
    {
        for (auto &[key, value] : entries_)
            visit(static_cast<const Key &>(key), value);
    }

    std::size_t size() const { return entries_.size(); }
    std::size_t capacity() const { return capacity_; }
    bool full() const { return entries_.size() >= capacity_; }

private:
    using Entries = std::list<std::pair<Key, Value>>; // most recently used first
    std::size_t capacity_;
    Entries entries_;
    std::unordered_map<Key, typename Entries::iterator> index_;
};

} // namespace vigil::containers
