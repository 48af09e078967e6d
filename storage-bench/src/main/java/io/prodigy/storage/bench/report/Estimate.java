package io.prodigy.storage.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * A measured value with its error: the half-width of the 99.9% confidence interval, as JMH reports its scores
 * ({@code NaN} when there were too few iterations to tell).
 */
public record Estimate(double value, double error) {

    /** Two-sided 99.9% Student t quantiles (t at 0.9995) for 1 to 30 degrees of freedom. */
    private static final double[] T_9995 = {636.619, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587,
        4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850, 3.819, 3.792, 3.768, 3.745, 3.725,
        3.707, 3.690, 3.674, 3.659, 3.646};
    private static final double Z_9995 = 3.291;

    /** The mean of {@code samples} with its 99.9% confidence half-width (JMH's convention). */
    public static Estimate ofSamples(List<Double> samples) {
        int n = samples.size();
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN);
        }
        double mean = samples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (n < 2) {
            return new Estimate(mean, Double.NaN);
        }
        double var = samples.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (n - 1);
        return new Estimate(mean, tQuantile(n - 1) * Math.sqrt(var / n));
    }

    static double tQuantile(int degreesOfFreedom) {
        return degreesOfFreedom <= T_9995.length ? T_9995[degreesOfFreedom - 1] : Z_9995;
    }

    /** {@code this / other}, its error propagated from both relative errors (first order). */
    public Estimate divide(Estimate other) {
        double r = value / other.value;
        return new Estimate(r, Math.abs(r) * Math.hypot(relativeError(), other.relativeError()));
    }

    /** {@code this − other}, the errors of independent measurements added in quadrature. */
    public Estimate minus(Estimate other) {
        return new Estimate(value - other.value, Math.hypot(error, other.error));
    }

    /** {@code this × factor} (an exact factor). */
    public Estimate times(double factor) {
        return new Estimate(value * factor, error * Math.abs(factor));
    }

    /** {@code 1 / this}, for turning a time per operation into a rate. */
    public Estimate reciprocal() {
        double r = 1 / value;
        return new Estimate(r, Math.abs(r) * relativeError());
    }

    public double relativeError() {
        return error / Math.abs(value);
    }

    public boolean hasError() {
        return !Double.isNaN(error);
    }

    /** {@code 12,345 ± 678}, rounded to a sensible precision. */
    public String format() {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return hasError() ? number(value) + " ± " + number(error) : number(value);
    }

    /** As a ratio: {@code 0.93 ± 0.05×}. */
    public String formatRatio() {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        String v = String.format(Locale.ROOT, "%.2f", value);
        return hasError() ? v + " ± " + String.format(Locale.ROOT, "%.2f", error) + "×" : v + "×";
    }

    /** As a percentage change from 1: {@code +3.1 ± 2.0%}. */
    public String formatPercentChange() {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String v = String.format(Locale.ROOT, "%+.1f", (value - 1) * 100);
        return hasError() ? v + " ± " + String.format(Locale.ROOT, "%.1f", error * 100) + "%" : v + "%";
    }

    /** Three significant digits (at least), thousands separated. */
    static String number(double x) {
        double a = Math.abs(x);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", x);
        }
        return String.format(Locale.ROOT, "%.3g", x);
    }
}
