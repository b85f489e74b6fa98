// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/records/CaptureMemory.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <system_error>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif
#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace wsi {
namespace {

constexpr std::size_t hugePage = 2 * 1024 * 1024;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

CaptureMemory::CaptureMemory(const Limits &limits)
    : m_limits(limits)
{
    m_classes.reserve(maxSizeClasses);
}

CaptureMemory::~CaptureMemory()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_helper.joinable())
        m_helper.join();
    for (SizeClass &c : m_classes) {
        for (const Block &block : c.blocks)
            freeFresh(block.data);
    }
}

CaptureMemory::Limits CaptureMemory::sharedLimits()
{
    Limits limits;
    constexpr std::size_t mib = 1024 * 1024;
#if defined(Q_OS_UNIX)
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && pageSize > 0)
        limits.maxRetainedBytes =
            std::clamp<std::size_t>(std::size_t(pages) * std::size_t(pageSize) / 16, 64 * mib, 512 * mib);
#endif
    return limits;
}

CaptureMemory &CaptureMemory::shared()
{
    static auto *instance = new CaptureMemory(sharedLimits());
    return *instance;
}

void *CaptureMemory::allocateFresh(std::size_t bytes)
{
    void *block = nullptr;
#ifdef Q_OS_LINUX
    if (bytes >= hugePage) {
        const std::size_t rounded = (bytes + hugePage - 1) / hugePage * hugePage;
        block = std::aligned_alloc(hugePage, rounded);
        if (block)
            madvise(block, rounded, MADV_HUGEPAGE); // a hint: without THP it is ignored
    }
#endif
    if (!block)
        block = std::malloc(bytes);
    if (!block)
        qFatal("CaptureMemory: out of memory allocating %zu bytes", bytes);
    return block;
}

void CaptureMemory::freeFresh(void *block) noexcept
{
    std::free(block);
}

CaptureMemory::SizeClass *CaptureMemory::sizeClass(std::size_t bytes)
{
    if (bytes < minPooledBytes || bytes > maxPooledBytes)
        return nullptr;
    for (SizeClass &c : m_classes) {
        if (c.bytes == bytes)
            return &c;
    }
    if (m_classes.size() == maxSizeClasses)
        return nullptr;
    m_classes.push_back(SizeClass{bytes, {}});
    return &m_classes.back();
}

void *CaptureMemory::allocate(std::size_t bytes)
{
    {
        std::lock_guard lock(m_mutex);
        if (SizeClass *c = sizeClass(bytes)) {
            if (!c->blocks.empty()) {
                void *block = c->blocks.back().data;
                c->blocks.pop_back();
                m_retainedBytes -= bytes;
                ++m_statistics.reused;
                return block;
            }
            ++m_statistics.fresh;
        }
    }
    return allocateFresh(bytes);
}

void CaptureMemory::release(void *block, std::size_t bytes) noexcept
{
    if (!block)
        return;
    {
        std::lock_guard lock(m_mutex);
        SizeClass *c = sizeClass(bytes);
        if (c && !m_stopping && m_retainedBytes + bytes <= m_limits.maxRetainedBytes && startHelper()) {
            c->blocks.push_back({block, nowNs()});
            m_retainedBytes += bytes;
            if (c->blocks.size() == 1)
                m_wake.notify_one(); // the helper's next expiry may now be sooner
            return;
        }
    }
    freeFresh(block);
}

CaptureMemory::Statistics CaptureMemory::statistics() const
{
    std::lock_guard lock(m_mutex);
    Statistics s = m_statistics;
    s.retainedBytes = m_retainedBytes;
    return s;
}

void CaptureMemory::takeExpired(qint64 nowNs, std::vector<Block> &expired)
{
    for (SizeClass &c : m_classes) {
        // Blocks are appended as they become unused, so the expired ones are at the front.
        const auto firstKept = std::find_if(c.blocks.begin(), c.blocks.end(), [&](const Block &block) {
            return nowNs - block.unusedSinceNs < m_limits.unusedLifetimeNs;
        });
        expired.insert(expired.end(), c.blocks.begin(), firstKept);
        m_retainedBytes -= c.bytes * std::size_t(firstKept - c.blocks.begin());
        c.blocks.erase(c.blocks.begin(), firstKept);
    }
}

qint64 CaptureMemory::nextExpiryNs() const
{
    qint64 next = -1;
    for (const SizeClass &c : m_classes) {
        if (!c.blocks.empty()) {
            const qint64 expiry = c.blocks.front().unusedSinceNs + m_limits.unusedLifetimeNs;
            next = next < 0 ? expiry : std::min(next, expiry);
        }
    }
    return next;
}

bool CaptureMemory::startHelper() noexcept
{
    if (m_helper.joinable())
        return true;
    try {
        m_helper = std::thread([this] { runHelper(); });
        return true;
    } catch (const std::system_error &) {
        return false; // no thread to give blocks back later: keep none
    }
}

void CaptureMemory::runHelper()
{
    std::unique_lock lock(m_mutex);
    std::vector<Block> expired;
    while (!m_stopping) {
        const qint64 now = nowNs();
        takeExpired(now, expired);
        if (!expired.empty()) {
            lock.unlock();
            for (const Block &block : expired)
                freeFresh(block.data);
            expired.clear();
            lock.lock();
            continue;
        }
        const qint64 next = nextExpiryNs();
        if (next < 0)
            m_wake.wait(lock);
        else
            m_wake.wait_for(lock, std::chrono::nanoseconds(next - now));
    }
}

} // namespace wsi
