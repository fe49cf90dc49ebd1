package dev.exchangemaildaemon.simulator.graph;

import dev.exchangemaildaemon.simulator.StoredItem;

/**
 * Graph's ids for the store's items and folders. Graph writes Exchange's ids in URL-safe base64; with
 * {@code Prefer: IdType="ImmutableId"} it gives a message an id that survives moves instead.
 */
final class GraphIds {

    private GraphIds() {
    }

    static String rest(String ewsId) {
        return ewsId.replace('+', '-').replace('/', '_');
    }

    static String ews(String restId) {
        return restId.replace('-', '+').replace('_', '/');
    }

    static String of(StoredItem item, boolean immutable) {
        return immutable ? item.immutableId() : rest(item.id());
    }
}
