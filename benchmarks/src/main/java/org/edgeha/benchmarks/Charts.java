package org.edgeha.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws the report's line and bar charts as PNG files with JFreeChart (headless). */
final class Charts {

    /** One line of a chart: points (x[i], y[i]); a dashed line (a goal, a bound) has no point markers. */
    record Series(String name, double[] x, double[] y, boolean dashed) {
        Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
            }
        }

        Series(String name, double[] x, double[] y) {
            this(name, x, y, false);
        }

        /** A horizontal dashed line at {@code value} over the x values of another series. */
        static Series goal(String name, double[] x, double value) {
            double[] y = new double[x.length];
            java.util.Arrays.fill(y, value);
            return new Series(name, x, y, true);
        }
    }

    /** One group of bars: a value per category (the same categories, in the same order, for every group). */
    record Bars(String name, double[] values) {
    }

    private Charts() {
    }

    /**
     * A vertical bar chart: for each category (e.g. a system) one bar per group (e.g. clean and warm start), with
     * the value written above each bar.
     */
    static void bar(Path png, String title, String yLabel, List<String> categories, List<Bars> groups)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Bars g : groups) {
            if (g.values().length != categories.size()) {
                throw new IllegalArgumentException("bars " + g.name() + ": " + g.values().length + " values, "
                        + categories.size() + " categories");
            }
            for (int i = 0; i < categories.size(); i++) {
                data.addValue(g.values()[i], g.name(), categories.get(i));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, yLabel, data, PlotOrientation.VERTICAL,
                groups.size() > 1, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("0.#")));
        renderer.setDefaultItemLabelsVisible(true);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 450);
    }

    static void line(Path png, String title, String xLabel, String yLabel, boolean logY, List<Series> series)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                xy.add(s.x()[i], s.y()[i]);
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i).dashed()) {
                renderer.setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {8f, 6f}, 0f));
                renderer.setSeriesShapesVisible(i, false);
            } else {
                renderer.setSeriesStroke(i, new BasicStroke(2f));
            }
        }
        plot.setRenderer(renderer);
        boolean integral = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x()))
                .allMatch(v -> v == Math.rint(v));
        if (integral) {
            plot.getDomainAxis().setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
        }
        if (logY) {
            LogAxis axis = new LogAxis(yLabel);
            axis.setSmallestValue(1e-3);
            axis.setNumberFormatOverride(new java.text.DecimalFormat("0.###")); // "2.5", not "10^0.4"
            plot.setRangeAxis(axis);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 450);
    }
}
