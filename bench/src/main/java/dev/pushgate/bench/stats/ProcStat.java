package dev.pushgate.bench.stats;

/**
 * Parses the two Linux {@code /proc/<pid>} files the sampler needs: the CPU time from {@code stat} and the
 * resident set from {@code status}. Pure functions over the file text.
 */
public final class ProcStat {
    private ProcStat() {
    }

    /**
     * User plus system CPU time in clock ticks from the text of {@code /proc/<pid>/stat}: fields 14 and 15, counted
     * after the command name in parentheses (which may itself contain spaces and parentheses).
     *
     * @return the ticks, or {@code -1} when the text has no such fields
     */
    public static long cpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state); utime is field 14, stime field 15
        if (fields.length < 13) {
            return -1;
        }
        try {
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A {@code kB} value such as {@code VmRSS} from the text of {@code /proc/<pid>/status}, in bytes.
     *
     * @return the bytes, or {@code -1} when the key is missing
     */
    public static long statusBytes(String status, String key) {
        int at = status.indexOf(key + ":");
        if (at < 0) {
            return -1;
        }
        int end = status.indexOf('\n', at);
        String line = status.substring(at + key.length() + 1, end < 0 ? status.length() : end).trim();
        String[] parts = line.split("\\s+");
        try {
            long value = Long.parseLong(parts[0]);
            return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
