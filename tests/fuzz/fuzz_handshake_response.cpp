// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the server's side of the opening handshake as the client reads it: the response parser at an
// arbitrary split, the validator on whatever was parsed, and permessage-deflate negotiation on header values.
// Besides crashes and sanitizer reports it checks properties that must hold for every input:
// - feeding the input in two pieces gives exactly what feeding it whole gives;
// - the parser never holds more than the header limit plus the body cap plus the chunk framing budget, except
//   leftover bytes it was given after completing;
// - our server's acceptance of any offer passes our client's check of that offer with the same parameters;
// - an offer we can read is written back by offerHeaderValue() into a value that reads the same.
#include "core/protocol/DeflateNegotiation.h"
#include "core/protocol/HandshakeRequest.h"
#include "core/protocol/HandshakeResponseParser.h"
#include "core/protocol/HandshakeValidator.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace wsi;

namespace {

void require(bool ok)
{
    if (!ok)
        std::abort();
}

const HandshakeRequest &fixedRequest()
{
    static const HandshakeRequest request = [] {
        HandshakeRequestOptions options;
        options.url = QUrl(QStringLiteral("ws://server.example.com/chat"));
        options.key = QByteArrayLiteral("dGhlIHNhbXBsZSBub25jZQ==");
        options.subprotocols = {QStringLiteral("chat"), QStringLiteral("superchat")};
        return *buildHandshakeRequest(options);
    }();
    return request;
}

// Offers a client may send, to check a server's answer against.
const QList<DeflateOffer> &offers()
{
    static const QList<DeflateOffer> list = [] {
        QList<DeflateOffer> result{DeflateOffer{}};
        DeflateOffer strict;
        strict.serverNoContextTakeover = true;
        strict.clientNoContextTakeover = true;
        strict.serverMaxWindowBits = 10;
        strict.clientMaxWindowBitsValue = 11;
        result.append(strict);
        DeflateOffer bare;
        bare.clientMaxWindowBits = false;
        result.append(bare);
        return result;
    }();
    return list;
}

void requireSameResult(const HandshakeResponseParser &a, const HandshakeResponseParser &b)
{
    require(a.state() == b.state());
    require(a.violations() == b.violations());
    require(a.leftover() == b.leftover());
    const HandshakeResponse &x = a.response();
    const HandshakeResponse &y = b.response();
    require(x.raw == y.raw);
    require(x.httpVersion == y.httpVersion);
    require(x.statusCode == y.statusCode);
    require(x.reasonPhrase == y.reasonPhrase);
    require(x.headers == y.headers);
    require(x.body == y.body);
    require(x.bodyTruncated == y.bodyTruncated);
    require(x.interimStatusLines == y.interimStatusLines);
    require(x.bareLineFeeds == y.bareLineFeeds);
    require(x.obsoleteLineFolding == y.obsoleteLineFolding);
}

void fuzzDeflate(QByteArrayView headerValue)
{
    for (const DeflateOffer &offer : offers()) {
        for (const QByteArray &element : HttpSyntax::splitList(headerValue)) {
            const DeflateResponseCheck check = DeflateNegotiation::checkResponse(element, offer);
            require(check.parameters.has_value() != check.violation.has_value());
        }
    }
    const QList<DeflateOffer> parsed = DeflateNegotiation::parseOffers(headerValue);
    for (const DeflateOffer &offer : parsed) {
        require(DeflateNegotiation::offerProblem(offer).isEmpty());
        const std::optional<DeflateOffer> again =
            DeflateNegotiation::parseOffer(DeflateNegotiation::offerHeaderValue(offer));
        require(again.has_value() && *again == offer);
    }
    DeflateServerPolicy narrow;
    narrow.serverMaxWindowBits = 11;
    narrow.clientMaxWindowBits = 9;
    for (const DeflateServerPolicy &policy : {DeflateServerPolicy{}, narrow}) {
        const std::optional<DeflateAcceptance> acceptance = DeflateNegotiation::accept(parsed, policy);
        if (!acceptance)
            continue;
        // accept() took the first offer it could honour; the answer must satisfy that offer's client.
        bool satisfiesSomeOffer = false;
        for (const DeflateOffer &offer : parsed) {
            const DeflateResponseCheck check =
                DeflateNegotiation::checkResponse(acceptance->responseHeaderValue, offer);
            if (check.isValid() && *check.parameters == acceptance->parameters) {
                satisfiesSomeOffer = true;
                break;
            }
        }
        require(satisfiesSomeOffer);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte chooses the split point; the whole input, that byte included, is the response, so that
    // seeds are plain HTTP text.
    const qsizetype split = input.isEmpty() ? 0 : qsizetype(data[0]) % (input.size() + 1);

    HandshakeResponseParser whole;
    whole.feed(input);
    HandshakeResponseParser pieces;
    pieces.feed(input.first(split));
    pieces.feed(input.sliced(split));
    requireSameResult(whole, pieces);

    const ProtocolLimits limits;
    const qsizetype bound = limits.maxHandshakeSize * 2 + limits.maxRefusalBodySize;
    require(whole.bufferedBytes() - whole.leftover().size() <= bound);

    // Tiny limits reach the caps and the chunk framing budget with small inputs.
    ProtocolLimits tiny;
    tiny.maxHandshakeSize = 96;
    tiny.maxRefusalBodySize = 16;
    HandshakeResponseParser small(tiny);
    small.feed(input.first(split));
    small.feed(input.sliced(split));
    require(small.response().raw.size() <= tiny.maxHandshakeSize * 2 + tiny.maxRefusalBodySize);

    for (HandshakeResponseParser *parser : {&whole, &pieces, &small}) {
        parser->finishAtEndOfStream();
        require(parser->state() != HandshakeResponseParser::State::NeedMore);
    }
    requireSameResult(whole, pieces);

    const HandshakeOutcome outcome = HandshakeValidator::validate(whole.response(), fixedRequest());
    require(outcome.accepted == outcome.violations.isEmpty());
    require(!outcome.explanation.isEmpty());
    HandshakeExpectation expectation = HandshakeExpectation::fromRequest(fixedRequest());
    expectation.offeredExtensions.append(QByteArrayLiteral("x-webkit-deflate-frame"));
    HandshakeValidator::validate(small.response(), expectation);

    fuzzDeflate(whole.response().headers.combined("Sec-WebSocket-Extensions"));
    fuzzDeflate(input.sliced(input.isEmpty() ? 0 : 1));
    return 0;
}
