package org.paneld.drivers.virtual;

/**
 * One refresh of an emulated DBI panel that showed part of a memory write's new content and part
 * of what it replaced (or a line caught in the middle of being written): a torn frame, as a
 * person would see it. Recorded by {@link VirtualDbiPanel} when its wire is timed
 * ({@link VirtualDbiPanel#setWireTiming}).
 *
 * @param refresh   the refresh's number since the scan was last anchored (reset, frame-rate change)
 * @param write     the memory write's number (RAMWR/RAMWRC bursts that changed a visible pixel)
 * @param atNanos   when the refresh began, on the panel's clock
 * @param newLines  changed glass lines the refresh showed with the new content
 * @param oldLines  changed glass lines it showed with the old content
 * @param splitLines changed glass lines scanned while they were being written
 *                   Immutable; any thread.
 */
public record TornFrame(long refresh, long write, long atNanos, int newLines, int oldLines, int splitLines) {
}
