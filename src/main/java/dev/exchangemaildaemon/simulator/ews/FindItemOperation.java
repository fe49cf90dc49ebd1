package dev.exchangemaildaemon.simulator.ews;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.StoredItem;

/**
 * FindItem: the messages directly in each parent folder (Shallow traversal), optionally only the read or unread
 * ones, sorted by DateTimeReceived (newest first unless the request says otherwise), paged by an
 * {@code IndexedPageItemView} from the beginning. As Exchange Online under its throttling policy's
 * EWSFindCountLimit (1,000): a paged request gets at most that many items, whatever its MaxEntriesReturned (or
 * without one), with IncludesLastItemInRange false while more follow; an unpaged request for a view larger than
 * that fails with ErrorExceededFindCountLimit ("Throttling Policies and the EWSFindCountLimit", Exchange developer
 * blog).
 */
final class FindItemOperation implements EwsOperation {

    /** Exchange Online's EWSFindCountLimit: the most items one FindItem answers. */
    static final int FIND_COUNT_LIMIT = 1000;
    static final String EXCEEDED_FIND_COUNT_LIMIT = "ErrorExceededFindCountLimit";

    private static final Comparator<StoredItem> OLDEST_FIRST =
            Comparator.comparing(StoredItem::received).thenComparingLong(StoredItem::sequence);

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        String traversal = Dom.requiredAttribute(request, "Traversal");
        if (!traversal.equals("Shallow")) {
            throw EwsFault.invalidRequest("The simulator supports Shallow traversal only, not " + traversal + ".");
        }
        PropertySet properties = PropertySet.ofItems(Dom.required(request, EwsNamespaces.MESSAGES, "ItemShape"));
        Page page = page(request);
        Predicate<StoredItem> filter = filter(request);
        Comparator<StoredItem> order = order(request);
        for (Element id : References.folderIds(Dom.required(request, EwsNamespaces.MESSAGES, "ParentFolderIds"))) {
            try {
                List<StoredItem> view = References.folder(id, context).items().stream()
                        .filter(filter)
                        .sorted(order)
                        .toList();
                if (!page.indexed() && view.size() > FIND_COUNT_LIMIT) {
                    throw new ItemError(EXCEEDED_FIND_COUNT_LIMIT);
                }
                responses.success(xml -> rootFolder(xml, view, page, properties));
            } catch (ItemError error) {
                responses.error(error.code());
            }
        }
    }

    private static void rootFolder(XmlOut xml, List<StoredItem> view, Page page, PropertySet properties) {
        List<StoredItem> items = page.of(view);
        xml.start("m", "RootFolder");
        if (page.indexed()) {
            xml.attribute("IndexedPagingOffset", Integer.toString(page.offset() + items.size()));
        }
        xml.attribute("TotalItemsInView", Integer.toString(view.size()))
                .attribute("IncludesLastItemInRange", Boolean.toString(page.offset() + items.size() >= view.size()));
        xml.start("t", "Items");
        items.forEach(item -> ItemXml.message(xml, item, properties));
        xml.end().end();
    }

    /** A window on the view: from {@code offset}, at most {@code maxEntries} items; everything without a view. */
    private record Page(boolean indexed, int offset, int maxEntries) {

        List<StoredItem> of(List<StoredItem> view) {
            int from = Math.min(offset, view.size());
            return view.subList(from, (int) Math.min(view.size(), (long) from + maxEntries));
        }
    }

    private static Page page(Element request) throws EwsFault {
        if (Dom.child(request, EwsNamespaces.MESSAGES, "FractionalPageItemView").isPresent()
                || Dom.child(request, EwsNamespaces.MESSAGES, "SeekToConditionPageItemView").isPresent()
                || Dom.child(request, EwsNamespaces.MESSAGES, "CalendarView").isPresent()
                || Dom.child(request, EwsNamespaces.MESSAGES, "ContactsView").isPresent()) {
            throw EwsFault.invalidRequest("The simulator pages with IndexedPageItemView only.");
        }
        Element view = Dom.child(request, EwsNamespaces.MESSAGES, "IndexedPageItemView").orElse(null);
        if (view == null) {
            return new Page(false, 0, Integer.MAX_VALUE);
        }
        String basePoint = Dom.requiredAttribute(view, "BasePoint");
        if (!basePoint.equals("Beginning")) {
            throw EwsFault.invalidRequest("The simulator pages from the Beginning only, not " + basePoint + ".");
        }
        int offset = nonNegative(view, "Offset", Dom.requiredAttribute(view, "Offset"));
        int maxEntries = Dom.attribute(view, "MaxEntriesReturned").isPresent()
                ? nonNegative(view, "MaxEntriesReturned", view.getAttribute("MaxEntriesReturned"))
                : Integer.MAX_VALUE;
        return new Page(true, offset, Math.min(maxEntries, FIND_COUNT_LIMIT));
    }

    private static Predicate<StoredItem> filter(Element request) throws EwsFault {
        Element restriction = Dom.child(request, EwsNamespaces.MESSAGES, "Restriction").orElse(null);
        return restriction == null ? item -> true : ItemRestriction.of(restriction);
    }

    private static Comparator<StoredItem> order(Element request) throws EwsFault {
        Element sortOrder = Dom.child(request, EwsNamespaces.MESSAGES, "SortOrder").orElse(null);
        if (sortOrder == null) {
            return OLDEST_FIRST.reversed();
        }
        List<Element> fieldOrders = Dom.children(sortOrder, EwsNamespaces.TYPES, "FieldOrder");
        String field = fieldOrders.size() != 1 ? null : Dom.child(fieldOrders.get(0), EwsNamespaces.TYPES, "FieldURI")
                .map(element -> element.getAttribute("FieldURI"))
                .orElse(null);
        if (!PropertySet.DATE_TIME_RECEIVED.equals(field)) {
            throw EwsFault.invalidRequest("The simulator sorts by " + PropertySet.DATE_TIME_RECEIVED + " only.");
        }
        return switch (Dom.requiredAttribute(fieldOrders.get(0), "Order")) {
            case "Ascending" -> OLDEST_FIRST;
            case "Descending" -> OLDEST_FIRST.reversed();
            default -> throw EwsFault.schemaValidation("Order must be Ascending or Descending.");
        };
    }

    private static int nonNegative(Element element, String name, String value) throws EwsFault {
        try {
            int number = Integer.parseInt(value);
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw EwsFault.schemaValidation("'" + value + "' is not a valid " + name + " on " + element.getLocalName() + ".");
    }
}
