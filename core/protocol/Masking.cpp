// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/protocol/Masking.h"

#include <cstdint>
#include <cstring>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define WSI_MASKING_X86 1
#include <immintrin.h>
#endif

namespace wsi::Masking {
namespace {

// The key rotated so that byte 0 of the result applies to data[0], repeated to fill 32 bits. Loaded with memcpy,
// so the byte order in memory matches the payload's whatever the CPU's endianness.
std::uint32_t rotatedKeyWord(MaskingKey key, unsigned phase) noexcept
{
    const unsigned char rotated[4] = {key[phase & 3], key[(phase + 1) & 3], key[(phase + 2) & 3], key[(phase + 3) & 3]};
    std::uint32_t word;
    std::memcpy(&word, rotated, 4);
    return word;
}

// Tail and portable path: 8 bytes at a time, then bytes. `done` bytes have been processed so far; since 8, 16 and
// 32 are multiples of 4 the key pattern never shifts between the wide and the narrow loops.
void xorWords(char *dst, const char *src, qsizetype length, std::uint32_t keyWord) noexcept
{
    const std::uint64_t keyWide = (std::uint64_t{keyWord} << 32) | keyWord;
    qsizetype i = 0;
    for (; i + 32 <= length; i += 32) {
        std::uint64_t w[4];
        std::memcpy(w, src + i, 32);
        w[0] ^= keyWide;
        w[1] ^= keyWide;
        w[2] ^= keyWide;
        w[3] ^= keyWide;
        std::memcpy(dst + i, w, 32);
    }
    for (; i + 8 <= length; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, src + i, 8);
        w ^= keyWide;
        std::memcpy(dst + i, &w, 8);
    }
    unsigned char keyBytes[4];
    std::memcpy(keyBytes, &keyWord, 4);
    for (; i < length; ++i)
        dst[i] = char(static_cast<unsigned char>(src[i]) ^ keyBytes[i & 3]);
}

#ifdef WSI_MASKING_X86
__attribute__((target("avx2"))) void xorAvx2(char *dst, const char *src, qsizetype length,
                                             std::uint32_t keyWord) noexcept
{
    const __m256i key = _mm256_set1_epi32(static_cast<int>(keyWord));
    qsizetype i = 0;
    for (; i + 128 <= length; i += 128) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + i));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + i + 32));
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + i + 64));
        const __m256i d = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + i + 96));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst + i), _mm256_xor_si256(a, key));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst + i + 32), _mm256_xor_si256(b, key));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst + i + 64), _mm256_xor_si256(c, key));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst + i + 96), _mm256_xor_si256(d, key));
    }
    for (; i + 32 <= length; i += 32) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + i));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst + i), _mm256_xor_si256(a, key));
    }
    xorWords(dst + i, src + i, length - i, keyWord);
}

void xorSse2(char *dst, const char *src, qsizetype length, std::uint32_t keyWord) noexcept
{
    const __m128i key = _mm_set1_epi32(static_cast<int>(keyWord));
    qsizetype i = 0;
    for (; i + 64 <= length; i += 64) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + i));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + i + 16));
        const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + i + 32));
        const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + i + 48));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + i), _mm_xor_si128(a, key));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + i + 16), _mm_xor_si128(b, key));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + i + 32), _mm_xor_si128(c, key));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + i + 48), _mm_xor_si128(d, key));
    }
    xorWords(dst + i, src + i, length - i, keyWord);
}

using XorKernel = void (*)(char *, const char *, qsizetype, std::uint32_t) noexcept;

XorKernel selectKernel() noexcept
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? xorAvx2 : xorSse2;
}

const XorKernel kernel = selectKernel();
#endif

// Short payloads (most control frames, chat messages) skip the dispatch: the word loop is as fast there.
constexpr qsizetype wideThreshold = 64;

void xorBuffer(char *dst, const char *src, qsizetype length, std::uint32_t keyWord) noexcept
{
#ifdef WSI_MASKING_X86
    if (length >= wideThreshold) {
        kernel(dst, src, length, keyWord);
        return;
    }
#endif
    xorWords(dst, src, length, keyWord);
}

} // namespace

void apply(char *data, qsizetype length, MaskingKey key, unsigned phase) noexcept
{
    if (length > 0)
        xorBuffer(data, data, length, rotatedKeyWord(key, phase));
}

void applyCopy(char *destination, const char *source, qsizetype length, MaskingKey key, unsigned phase) noexcept
{
    if (length > 0)
        xorBuffer(destination, source, length, rotatedKeyWord(key, phase));
}

void applyBytewise(char *data, qsizetype length, MaskingKey key, unsigned phase) noexcept
{
    for (qsizetype i = 0; i < length; ++i)
        data[i] = char(static_cast<unsigned char>(data[i]) ^ key[(std::size_t(i) + phase) % 4]);
}

} // namespace wsi::Masking
