package io.prodigy.storage.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The targets, each checked against the measured value of one cell: met or missed, with the number. */
final class Targets {

    /** One check: {@code measured} against {@code threshold} for {@code target} in {@code cell}. */
    record Verdict(String target, String cell, String measured, boolean met) {}

    private final List<Verdict> verdicts = new ArrayList<>();

    /** Records that {@code ratio} must be at least {@code threshold}. */
    void atLeast(String target, String cell, Estimate ratio, double threshold) {
        if (Double.isNaN(ratio.value())) {
            verdicts.add(new Verdict(target, cell, "not measured", false));
            return;
        }
        verdicts.add(new Verdict(target, cell, ratio.formatRatio(), ratio.value() >= threshold));
    }

    /** Records that {@code ratio} must be above {@code threshold} (strictly). */
    void above(String target, String cell, Estimate ratio, double threshold) {
        if (Double.isNaN(ratio.value())) {
            verdicts.add(new Verdict(target, cell, "not measured", false));
            return;
        }
        verdicts.add(new Verdict(target, cell, ratio.formatRatio(), ratio.value() > threshold));
    }

    /** Records a check whose measured value is already formatted. */
    void check(String target, String cell, String measured, boolean met) {
        verdicts.add(new Verdict(target, cell, measured, met));
    }

    /** Records a target that could not be measured in this run. */
    void missing(String target, String why) {
        verdicts.add(new Verdict(target, "-", "not measured: " + why, false));
    }

    List<Verdict> verdicts() {
        return List.copyOf(verdicts);
    }

    String render() {
        MarkdownTable t = new MarkdownTable("target", "cell", "measured", "verdict");
        for (Verdict v : verdicts) {
            t.row(v.target(), v.cell(), v.measured(), v.met() ? "met" : "**missed**");
        }
        long met = verdicts.stream().filter(Verdict::met).count();
        return String.format(Locale.ROOT, "%d of %d checks met.%n%n", met, verdicts.size()) + t.render();
    }
}
