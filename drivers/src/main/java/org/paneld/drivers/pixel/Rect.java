package org.paneld.drivers.pixel;

/**
 * An axis-aligned rectangle in pixels: {@code x, y} is the top-left corner, {@code width x height}
 * its size. Immutable value; any thread. A rectangle with a zero or negative size is empty.
 */
public record Rect(int x, int y, int width, int height) {

    /** The rectangle {@code 0,0 width x height}. */
    public static Rect of(int width, int height) {
        return new Rect(0, 0, width, height);
    }

    public boolean isEmpty() {
        return width <= 0 || height <= 0;
    }

    /** Exclusive right edge, computed in long so that huge values cannot wrap. */
    public long right() {
        return (long) x + width;
    }

    /** Exclusive bottom edge, computed in long so that huge values cannot wrap. */
    public long bottom() {
        return (long) y + height;
    }

    /** True when this rectangle lies entirely inside {@code 0,0 w x h} (and is not empty). */
    public boolean isInside(int w, int h) {
        return !isEmpty() && x >= 0 && y >= 0 && right() <= w && bottom() <= h;
    }

    /** The intersection of this rectangle and {@code other}; empty (size 0) when they do not overlap. */
    public Rect intersect(Rect other) {
        long x0 = Math.max(x, other.x), y0 = Math.max(y, other.y);
        long x1 = Math.min(right(), other.right()), y1 = Math.min(bottom(), other.bottom());
        if (x1 <= x0 || y1 <= y0) {
            return new Rect((int) x0, (int) y0, 0, 0);
        }
        return new Rect((int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0));
    }

    /** The smallest rectangle holding both (an empty one counts for nothing). */
    public Rect union(Rect other) {
        if (isEmpty()) {
            return other;
        }
        if (other.isEmpty()) {
            return this;
        }
        int x0 = Math.min(x, other.x), y0 = Math.min(y, other.y);
        long x1 = Math.max(right(), other.right()), y1 = Math.max(bottom(), other.bottom());
        return new Rect(x0, y0, (int) (x1 - x0), (int) (y1 - y0));
    }

    public long area() {
        return isEmpty() ? 0 : (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height + "+" + x + "+" + y;
    }
}
