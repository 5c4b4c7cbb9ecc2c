package org.paneld.daemon.server;

import java.util.Set;

/**
 * Who may open one device: a peer passes when its uid is in {@code uids} or one of its gids is in
 * {@code gids}. Root and the daemon's own uid always pass. TCP peers have no credentials and so
 * never pass a device that has an access list. Immutable; any thread.
 */
public record AccessList(Set<Integer> uids, Set<Integer> gids) {

    public AccessList {
        uids = Set.copyOf(uids);
        gids = Set.copyOf(gids);
    }

    /** True when a peer with {@code uid} and {@code peerGids} may open the device. */
    public boolean allows(int uid, int[] peerGids) {
        if (uids.contains(uid)) {
            return true;
        }
        if (peerGids != null) {
            for (int g : peerGids) {
                if (gids.contains(g)) {
                    return true;
                }
            }
        }
        return false;
    }
}
