package dev.mvkt.samples.cli;

import dev.mvkt.core.AtomicFiles;
import dev.mvkt.api.EpochReport;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's figures, drawn with XChart into PNGs. Several panels go into one image (a grid) so that a figure
 * compares models side by side, as the paper's do.
 */
final class Plots {
    private static final int PANEL_W = 520;
    private static final int PANEL_H = 400;

    /** One colour per model, the same in every figure of a report (teacher first, as models are trained). */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
            new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Plots() {
    }

    static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** ROC curves: one panel per class, one curve per model. */
    static void roc(Path png, List<String> classes, Map<String, double[][]> probs, float[][] labels)
            throws IOException {
        List<Chart<?, ?>> panels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            XYChart chart = new XYChartBuilder().width(PANEL_W).height(PANEL_H).title("ROC " + classes.get(c))
                    .xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
            style(chart);
            chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            XYSeries chance = chart.addSeries("chance", new double[]{0, 1}, new double[]{0, 1});
            chance.setLineColor(Color.LIGHT_GRAY);
            chance.setMarker(SeriesMarkers.NONE);
            chance.setShowInLegend(false);
            int k = 0;
            for (Map.Entry<String, double[][]> e : probs.entrySet()) {
                double[][] curve = Stats.roc(e.getValue(), labels, c);
                double auc = Stats.auc(e.getValue(), labels, c, Stats.all(labels.length));
                XYSeries s = chart.addSeries(String.format(java.util.Locale.ROOT, "%s (%s)", e.getKey(),
                        Double.isNaN(auc) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", auc)),
                        curve[0], curve[1]);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(colour(k++));
            }
            panels.add(chart);
        }
        grid(png, panels, Math.min(3, panels.size()));
    }

    /**
     * Reliability diagrams: one panel per model, over all classes' (probability, label) pairs of the test split in
     * {@value dev.mvkt.core.CalibrationError#BINS} equal-width bins; each non-empty bin is a point at its mean
     * probability (x) and the fraction of its pairs that are positive (y), before and after calibration. A calibrated
     * model's points lie on the diagonal; the legend gives each curve's ECE.
     *
     * @param before uncalibrated test probabilities by model
     * @param after  calibrated test probabilities by model (same keys)
     */
    static void reliability(Path png, Map<String, double[][]> before, Map<String, double[][]> after,
                            float[][] labels) throws IOException {
        List<Chart<?, ?>> panels = new ArrayList<>();
        for (String model : before.keySet()) {
            XYChart chart = new XYChartBuilder().width(PANEL_W).height(PANEL_H).title("reliability " + model)
                    .xAxisTitle("mean predicted probability (bin)").yAxisTitle("fraction positive").build();
            style(chart);
            chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
            XYSeries perfect = chart.addSeries("perfect", new double[]{0, 1}, new double[]{0, 1});
            perfect.setLineColor(Color.LIGHT_GRAY);
            perfect.setMarker(SeriesMarkers.NONE);
            perfect.setShowInLegend(false);
            String[] names = {"before", "after"};
            List<double[][]> probs = List.of(before.get(model), after.get(model));
            for (int k = 0; k < 2; k++) {
                List<dev.mvkt.core.CalibrationError.Bin> bins = dev.mvkt.core.CalibrationError.bins(probs.get(k),
                        labels, -1);
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (dev.mvkt.core.CalibrationError.Bin b : bins) {
                    if (b.count() > 0) {
                        xs.add(b.meanProbability());
                        ys.add(b.positiveRate());
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                double ece = dev.mvkt.core.CalibrationError.ece(bins);
                XYSeries series = chart.addSeries(String.format(java.util.Locale.ROOT, "%s calibration (ECE %.1f%%)",
                        names[k], 100 * ece), xs, ys);
                series.setMarker(k == 0 ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
                Color c = k == 0 ? Color.GRAY : colour(0);
                series.setLineColor(c);
                series.setMarkerColor(c);
                if (k == 0) {
                    series.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                            java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
                }
            }
            panels.add(chart);
        }
        if (!panels.isEmpty()) {
            grid(png, panels, Math.min(3, panels.size()));
        }
    }

    /**
     * Training curves: the BCE term of the training loss and validation macro AUC per epoch, one line per model.
     * BCE rather than the total, because MVKT's total adds MKD and CLT on other scales (CLT starts near log K) and
     * would flatten every other curve; the totals are in results.json.
     */
    static void trainingCurves(Path png, Map<String, List<EpochReport>> histories) throws IOException {
        XYChart loss = new XYChartBuilder().width(PANEL_W + 140).height(PANEL_H).title("training BCE")
                .xAxisTitle("epoch").yAxisTitle("mean BCE over the epoch").build();
        XYChart auc = new XYChartBuilder().width(PANEL_W + 140).height(PANEL_H).title("validation macro AUC")
                .xAxisTitle("epoch").yAxisTitle("AUC").build();
        style(loss);
        style(auc);
        int k = -1;
        for (Map.Entry<String, List<EpochReport>> e : histories.entrySet()) {
            List<EpochReport> h = e.getValue();
            k++;
            if (h.isEmpty()) {
                continue;
            }
            double[] x = new double[h.size()];
            double[] l = new double[h.size()];
            double[] a = new double[h.size()];
            for (int i = 0; i < h.size(); i++) {
                x[i] = h.get(i).epoch();
                l[i] = h.get(i).lossParts().getOrDefault("bce", h.get(i).loss());
                a[i] = h.get(i).valAuc();
            }
            for (XYSeries series : List.of(loss.addSeries(e.getKey(), x, l), auc.addSeries(e.getKey(), x, a))) {
                series.setLineColor(colour(k));
                series.setMarkerColor(colour(k));
            }
        }
        if (loss.getSeriesMap().isEmpty()) {
            return;
        }
        grid(png, List.of(loss, auc), 2);
    }

    /** Figure 3: macro AUC per lead, baseline beside MVKT. */
    static void leadBars(Path png, List<String> leads, Map<String, List<Double>> seriesByName) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(PANEL_W, 90 * leads.size() + 200))
                .height(PANEL_H + 40).title("test macro AUC per lead").xAxisTitle("lead")
                .yAxisTitle("macro AUC").build();
        style(chart);
        double min = 1;
        int k = 1;
        for (Map.Entry<String, List<Double>> e : seriesByName.entrySet()) {
            chart.addSeries(e.getKey(), leads, e.getValue()).setFillColor(colour(k++));
            for (double v : e.getValue()) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                }
            }
        }
        // Differences of a point or two are what matters; a zero-based axis would hide them.
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor(min * 20 - 1) / 20)).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        grid(png, List.of(chart), 1);
    }

    /**
     * Table 1's figure: one row per method, its test macro AUC as a dot and its bootstrap 95% CI as a bar (a forest
     * plot), with vertical reference lines (the BCE baseline, the teacher). Method {@code i} gets the colour of model
     * {@code i + colourOffset}, so it matches the ROC and training figures of the same report.
     */
    static void forest(Path png, String title, List<String> methods, double[] value, double[] lo, double[] hi,
                       Map<String, Double> references, int colourOffset) throws IOException {
        int n = methods.size();
        XYChart chart = rowChart(title, "test macro AUC (dot) with bootstrap 95% CI (bar)", n, 70);
        double min = 1;
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (double v : new double[]{value[i], lo[i], hi[i]}) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        for (double v : references.values()) {
            if (!Double.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double pad = Math.max(0.01, (max - min) * 0.08);
        chart.getStyler().setXAxisMin(Math.max(0, min - pad)).setXAxisMax(Math.min(1, max + pad));
        int r = 0;
        for (Map.Entry<String, Double> e : references.entrySet()) {
            if (Double.isNaN(e.getValue())) {
                continue;
            }
            XYSeries ref = chart.addSeries(e.getKey(), new double[]{e.getValue(), e.getValue()},
                    new double[]{0.4, n + 0.6});
            ref.setMarker(SeriesMarkers.NONE);
            // Dashed grey, then dotted black: told apart in the legend without taking a model's colour.
            ref.setLineColor(r == 0 ? Color.GRAY : Color.BLACK);
            ref.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_MITER, 10f, r == 0 ? new float[]{6f, 4f} : new float[]{2f, 3f}, 0f));
            r++;
        }
        for (int i = 0; i < n; i++) {
            double y = n - i;
            Color c = colour(i + colourOffset);
            if (!Double.isNaN(lo[i]) && !Double.isNaN(hi[i])) {
                XYSeries bar = chart.addSeries(methods.get(i) + " CI", new double[]{lo[i], hi[i]},
                        new double[]{y, y});
                bar.setMarker(SeriesMarkers.NONE);
                bar.setLineColor(c);
                bar.setLineStyle(new java.awt.BasicStroke(3f));
                bar.setShowInLegend(false);
            }
            if (!Double.isNaN(value[i])) {
                XYSeries dot = chart.addSeries(methods.get(i), new double[]{value[i]}, new double[]{y});
                dot.setMarker(SeriesMarkers.CIRCLE);
                dot.setMarkerColor(c);
                dot.setLineColor(c);
                dot.setLineStyle(new java.awt.BasicStroke(3f));
            }
            String label = methods.get(i) + (Double.isNaN(value[i]) ? "" : String.format(java.util.Locale.ROOT,
                    "  %.1f", 100 * value[i])) + (Double.isNaN(lo[i]) ? "" : String.format(java.util.Locale.ROOT,
                    " (%.1f–%.1f)", 100 * lo[i], 100 * hi[i]));
            chart.addAnnotation(new AnnotationText(label, Double.isNaN(value[i]) ? (min + max) / 2 : value[i],
                    y + 0.3, false));
        }
        grid(png, List.of(chart), 1);
    }

    /**
     * A chart of {@code n} labelled rows, numbered from the top, with the value on the x axis: each row is labelled
     * by an annotation above it, since XChart offers no category axis for XY charts.
     */
    private static XYChart rowChart(String title, String axis, int n, int rowHeight) {
        XYChart chart = new XYChartBuilder().width(PANEL_W + 280).height(Math.max(PANEL_H, rowHeight * n + 160))
                .title(title).xAxisTitle(axis).build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.4).setYAxisMax(n + 0.6);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        return chart;
    }

    /**
     * One panel of a multi-seed report: a row per model (or per comparison), each seed's value as a point in that
     * seed's colour, the mean as a black diamond, and where given the 95% t-interval across seeds as a bar.
     * {@code reference}, when not NaN, draws a vertical line (0 for differences).
     */
    static XYChart seedPanel(String title, String axis, List<String> rows, double[][] perSeed, double[] lo,
                             double[] hi, List<Long> seeds, double reference) {
        int n = rows.size();
        XYChart chart = rowChart(title, axis, n, 60);
        double min = Double.isNaN(reference) ? 1 : reference;
        double max = Double.isNaN(reference) ? 0 : reference;
        for (int i = 0; i < n; i++) {
            for (double v : perSeed[i]) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (lo != null && !Double.isNaN(lo[i])) {
                min = Math.min(min, lo[i]);
                max = Math.max(max, hi[i]);
            }
        }
        double pad = Math.max(0.005, (max - min) * 0.1);
        chart.getStyler().setXAxisMin(min - pad).setXAxisMax(max + pad);
        if (!Double.isNaN(reference)) {
            XYSeries ref = chart.addSeries("reference " + reference, new double[]{reference, reference},
                    new double[]{0.4, n + 0.6});
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineColor(Color.GRAY);
            ref.setShowInLegend(false);
        }
        for (int i = 0; i < n; i++) {
            double y = n - i;
            if (lo != null && !Double.isNaN(lo[i])) {
                XYSeries bar = chart.addSeries(rows.get(i) + " CI", new double[]{lo[i], hi[i]}, new double[]{y, y});
                bar.setMarker(SeriesMarkers.NONE);
                bar.setLineColor(Color.LIGHT_GRAY);
                bar.setLineStyle(new java.awt.BasicStroke(4f));
                bar.setShowInLegend(false);
            }
            double sum = 0;
            int k = 0;
            for (double v : perSeed[i]) {
                if (!Double.isNaN(v)) {
                    sum += v;
                    k++;
                }
            }
            double mean = k == 0 ? Double.NaN : sum / k;
            if (!Double.isNaN(mean)) {
                XYSeries m = chart.addSeries(rows.get(i) + " mean", new double[]{mean}, new double[]{y});
                m.setMarker(SeriesMarkers.DIAMOND);
                m.setMarkerColor(Color.BLACK);
                m.setShowInLegend(i == 0);
                if (i == 0) {
                    m.setLabel("mean");
                }
            }
            chart.addAnnotation(new AnnotationText(rows.get(i) + (Double.isNaN(mean) ? "" : String.format(
                    java.util.Locale.ROOT, Double.isNaN(reference) ? "  %.1f" : "  %+.1f", 100 * mean)), Double.isNaN(mean) ? (min + max) / 2 : mean, y + 0.3, false));
        }
        // One series per seed, so the legend says which point is which seed.
        for (int sIdx = 0; sIdx < seeds.size(); sIdx++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double v = perSeed[i][sIdx];
                if (!Double.isNaN(v)) {
                    xs.add(v);
                    // A small vertical offset per seed keeps equal values apart.
                    ys.add(n - i + 0.08 * (sIdx - (seeds.size() - 1) / 2.0));
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries pts = chart.addSeries("seed " + seeds.get(sIdx), xs, ys);
            pts.setMarker(SeriesMarkers.CIRCLE);
            pts.setMarkerColor(colour(sIdx));
            pts.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        }
        return chart;
    }

    /**
     * Figure 4: a t-SNE panel per model; points coloured by {@code groups} (a record's single class, or
     * "several").
     */
    static void tsne(Path png, Map<String, double[][]> embeddings, String[] groups, List<String> groupOrder)
            throws IOException {
        List<Chart<?, ?>> panels = new ArrayList<>();
        for (Map.Entry<String, double[][]> e : embeddings.entrySet()) {
            XYChart chart = new XYChartBuilder().width(PANEL_W).height(PANEL_H + 60).title(e.getKey()).build();
            style(chart);
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setMarkerSize(5);
            chart.getStyler().setAxisTicksVisible(false);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            double[][] xy = e.getValue();
            for (String g : groupOrder) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < xy.length; i++) {
                    if (groups[i].equals(g)) {
                        xs.add(xy[i][0]);
                        ys.add(xy[i][1]);
                    }
                }
                if (!xs.isEmpty()) {
                    chart.addSeries(g, xs, ys);
                }
            }
            panels.add(chart);
        }
        grid(png, panels, panels.size());
    }

    /**
     * The paper's Figure 5 layout: test macro AUC against the labelled fraction (evenly spaced, labelled 1/8 ... 1),
     * one line per method through its mean over seeds, each seed's value as a small point beside it, and horizontal
     * reference lines (e.g. BCE on all labels, the lead's ceiling).
     *
     * @param perSeed per method, {@code [fraction][seed]} AUCs; NaN where a method has no model at a fraction
     */
    static void fractions(Path png, String title, double[] fractions, Map<String, double[][]> perSeed,
                          Map<String, Double> references) throws IOException {
        int k = fractions.length;
        XYChart chart = new XYChartBuilder().width(PANEL_W + 200).height(PANEL_H + 80).title(title)
                .xAxisTitle("labelled fraction of the training split").yAxisTitle("test macro AUC").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        // XChart 3.8.8 places a custom formatter's ticks only at the axis ends once the range is set, so the
        // fractions are written into the plot, above the axis, instead of as tick labels.
        chart.getStyler().setXAxisMin(-0.3).setXAxisMax(k - 0.7).setXAxisTicksVisible(false);
        double min = 1;
        double max = 0;
        int colour = 0;
        int m = 0;
        for (Map.Entry<String, double[][]> e : perSeed.entrySet()) {
            Color c = colour(colour++);
            List<Double> xs = new ArrayList<>();
            List<Double> means = new ArrayList<>();
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            for (int f = 0; f < k; f++) {
                double sum = 0;
                int n = 0;
                double[] seeds = e.getValue()[f];
                for (int j = 0; j < seeds.length; j++) {
                    if (!Double.isNaN(seeds[j])) {
                        sum += seeds[j];
                        n++;
                        // Methods side by side, seeds fanned out, so that no point hides another.
                        px.add(f + (m - (perSeed.size() - 1) / 2.0) * 0.06 + (j - (seeds.length - 1) / 2.0) * 0.015);
                        py.add(seeds[j]);
                        min = Math.min(min, seeds[j]);
                        max = Math.max(max, seeds[j]);
                    }
                }
                if (n > 0) {
                    xs.add((double) f);
                    means.add(sum / n);
                }
            }
            m++;
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries line = chart.addSeries(e.getKey(), xs, means);
            line.setLineColor(c);
            line.setMarkerColor(c);
            line.setMarker(SeriesMarkers.CIRCLE);
            XYSeries pts = chart.addSeries(e.getKey() + " (seeds)", px, py);
            pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            pts.setMarker(SeriesMarkers.DIAMOND);
            pts.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 120));
            pts.setShowInLegend(false);
        }
        int r = 0;
        for (Map.Entry<String, Double> e : references.entrySet()) {
            double v = e.getValue();
            if (Double.isNaN(v)) {
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            XYSeries ref = chart.addSeries(e.getKey(), new double[]{-0.3, k - 0.7}, new double[]{v, v});
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineColor(r++ == 0 ? Color.DARK_GRAY : Color.GRAY);
            ref.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
        }
        double pad = Math.max(0.005, (max - min) * 0.08);
        double bottom = min - 2.5 * pad;
        chart.getStyler().setYAxisMin(bottom).setYAxisMax(Math.min(1, max + pad));
        for (int f = 0; f < k; f++) {
            chart.addAnnotation(new AnnotationText(fractionLabel(fractions[f]), f, bottom + pad, false));
        }
        grid(png, List.of(chart), 1);
    }

    /** 0.125 as "1/8", 1 as "1", other values as decimals. */
    static String fractionLabel(double f) {
        if (f == 1) {
            return "1";
        }
        double inv = 1 / f;
        long n = Math.round(inv);
        return Math.abs(inv - n) < 1e-9 ? "1/" + n : String.valueOf(f);
    }

    private static void style(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setAntiAlias(true);
    }

    /** Paints the panels into one image, {@code columns} per row, and writes it atomically. */
    static void grid(Path png, List<? extends Chart<?, ?>> panels, int columns) throws IOException {
        int rows = (panels.size() + columns - 1) / columns;
        int w = 0;
        int h = 0;
        for (Chart<?, ?> c : panels) {
            w = Math.max(w, c.getWidth());
            h = Math.max(h, c.getHeight());
        }
        BufferedImage image = new BufferedImage(w * columns, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            BufferedImage panel = BitmapEncoder.getBufferedImage(panels.get(i));
            g.drawImage(panel, (i % columns) * w, (i / columns) * h, null);
        }
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }
}
