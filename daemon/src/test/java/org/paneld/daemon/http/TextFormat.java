package org.paneld.daemon.http;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4 (the Java client ships writers
 * only): every line is a HELP, a TYPE or a sample; names and label names are valid; label values
 * are correctly escaped; every sample belongs to a family whose TYPE came first, once; values
 * are floats; no sample twice; a histogram's buckets are cumulative and end with +Inf = _count.
 * Any deviation throws, naming the line. Test helper.
 */
final class TextFormat {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> SUFFIXES = Set.of("_total", "_created", "_bucket", "_count", "_sum", "_info");

    private TextFormat() {
    }

    /** The samples by "name{l1="v1",…}" (labels in written order) → value. */
    static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a newline");
        }
        Map<String, String> types = new HashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if (line.startsWith("# HELP ")) {
                if (!HELP.matcher(line).matches()) {
                    throw new AssertionError("line " + n + ": bad HELP: " + line);
                }
            } else if (line.startsWith("# TYPE ")) {
                m = TYPE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("line " + n + ": bad TYPE: " + line);
                }
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("line " + n + ": second TYPE for " + m.group(1));
                }
            } else if (line.startsWith("#")) {
                continue; // a comment
            } else {
                m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("line " + n + ": not a sample: " + line);
                }
                String name = m.group(1);
                if (family(name, types) == null) {
                    throw new AssertionError("line " + n + ": sample " + name + " before (or without) its TYPE");
                }
                StringBuilder key = new StringBuilder(name);
                String labels = m.group(3);
                if (labels != null && !labels.isEmpty()) {
                    Matcher l = LABEL.matcher(labels);
                    int at = 0;
                    key.append('{');
                    while (at < labels.length()) {
                        if (!l.find(at) || l.start() != at) {
                            throw new AssertionError("line " + n + ": bad labels at column " + at + ": " + labels);
                        }
                        key.append(l.group(1)).append("=\"").append(l.group(2)).append('"').append(l.group(3).isEmpty() ? "" : ",");
                        at = l.end();
                    }
                    key.append('}');
                }
                double v;
                try {
                    v = switch (m.group(4)) {
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        case "NaN" -> Double.NaN;
                        default -> Double.parseDouble(m.group(4));
                    };
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + n + ": bad value: " + line);
                }
                if (samples.put(key.toString(), v) != null) {
                    throw new AssertionError("line " + n + ": sample written twice: " + key);
                }
            }
        }
        checkHistograms(types, samples);
        return samples;
    }

    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String s : SUFFIXES) {
            if (sample.endsWith(s) && types.containsKey(sample.substring(0, sample.length() - s.length()))) {
                return sample.substring(0, sample.length() - s.length());
            }
        }
        return null;
    }

    private static void checkHistograms(Map<String, String> types, Map<String, Double> samples) {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            String base = t.getKey();
            Map<String, double[]> last = new HashMap<>(); // other labels -> {previous bucket, seen +Inf}
            for (Map.Entry<String, Double> s : samples.entrySet()) {
                if (!s.getKey().startsWith(base + "_bucket{")) {
                    continue;
                }
                String labels = s.getKey().substring(s.getKey().indexOf('{'));
                String other = labels.replaceAll(",?le=\"[^\"]*\"", "");
                double[] prev = last.computeIfAbsent(other, k -> new double[] {0, 0});
                if (s.getValue() < prev[0]) {
                    throw new AssertionError(s.getKey() + ": buckets must be cumulative");
                }
                prev[0] = s.getValue();
                if (labels.contains("le=\"+Inf\"")) {
                    prev[1] = 1;
                    String count = base + "_count" + (other.equals("{}") ? "" : other);
                    if (!s.getValue().equals(samples.get(count))) {
                        throw new AssertionError(s.getKey() + " must equal " + count + " (" + samples.get(count) + ")");
                    }
                }
            }
            for (Map.Entry<String, double[]> e : last.entrySet()) {
                if (e.getValue()[1] == 0) {
                    throw new AssertionError(base + e.getKey() + ": no +Inf bucket");
                }
            }
        }
    }

    /** The names every scrape must carry. */
    static final List<String> EXPECTED = List.of(
            "paneld_device_frames_total", "paneld_device_pixels_total", "paneld_device_wire_bytes_total",
            "paneld_device_wire_busy_seconds_total", "paneld_device_wire_busy_ratio", "paneld_device_fps",
            "paneld_device_flush_seconds_bucket", "paneld_device_flush_seconds_count", "paneld_device_flush_seconds_sum",
            "paneld_device_unplugs_total", "paneld_server_connections", "paneld_server_sessions", "paneld_server_buffers",
            "paneld_server_received_bytes_total", "paneld_server_sent_bytes_total", "paneld_server_requests_total",
            "paneld_server_memory_budget_used_bytes", "paneld_server_memory_budget_bytes", "paneld_http_watchers",
            "jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds_count");
}
