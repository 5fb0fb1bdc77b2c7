package dev.clickstream.producer.encode;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.producer.generate.EventDraft;
import dev.clickstream.producer.generate.EventGenerator;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Turns generated events into Kafka message values: packs lines per {@link Packing} and, when asked,
 * swaps a share of them for {@link Malformed} lines. How many lines a message gets and which lines break
 * come from their own random streams derived from the seed, so the same seed gives the same messages.
 */
public final class MessageBuilder {
    private static final byte[] NOT_JSON = "not json ".getBytes(StandardCharsets.US_ASCII);
    private static final Malformed[] KINDS = Malformed.values();

    private final EventGenerator generator;
    private final Packing packing;
    private final double malformedRatio;
    private final SplittableRandom packRandom;
    private final SplittableRandom malformedRandom;
    private final EventJsonWriter writer = new EventJsonWriter();
    private final EventDraft draft = new EventDraft();
    private int events;
    private int malformed;

    public MessageBuilder(EventGenerator generator, Packing packing, double malformedRatio, long seed) {
        if (!(malformedRatio >= 0 && malformedRatio <= 1)) {
            throw new IllegalArgumentException("the malformed ratio must be between 0 and 1");
        }
        this.generator = generator;
        this.packing = packing;
        this.malformedRatio = malformedRatio;
        this.packRandom = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        this.malformedRandom = new SplittableRandom(seed ^ 0xBB67AE8584CAA73BL);
    }

    /** Writes the next message's value into {@code out} (after resetting it). */
    public void next(ByteSink out) {
        out.reset();
        events = 0;
        malformed = 0;
        int lines = packing.nextLines(packRandom);
        for (int i = 0; i < lines; i++) {
            if (i > 0) {
                out.write((byte) '\n');
            }
            generator.next(draft);
            if (malformedRatio > 0 && malformedRandom.nextDouble() < malformedRatio) {
                writeMalformed(KINDS[malformedRandom.nextInt(KINDS.length)], out);
                malformed++;
            } else {
                writer.write(draft, out);
                events++;
            }
        }
    }

    /** Valid events in the last message. */
    public int events() {
        return events;
    }

    /** Malformed lines in the last message. */
    public int malformed() {
        return malformed;
    }

    private void writeMalformed(Malformed kind, ByteSink out) {
        switch (kind) {
            case TRUNCATED -> {
                int start = out.size();
                writer.write(draft, out);
                out.truncate(start + (out.size() - start) / 2);
            }
            case NOT_JSON -> {
                out.write(NOT_JSON);
                out.writeUnsigned(draft.id());
            }
            case WRONG_TYPE -> writer.write(draft, out, true);
        }
    }
}
