package dev.exchangemaildaemon.simulator.ews;

import java.util.HashSet;
import java.util.Set;

import org.w3c.dom.Element;

/**
 * The properties a request's {@code m:ItemShape} or {@code m:FolderShape} asks for. The simulator models a few
 * properties; a request for any other fails loudly rather than silently going without.
 *
 * @param fields       the requested {@code FieldURI}s
 * @param includeMime  whether {@code t:IncludeMimeContent} is true
 */
record PropertySet(Set<String> fields, boolean includeMime) {

    static final String DATE_TIME_RECEIVED = "item:DateTimeReceived";
    static final String SIZE = "item:Size";
    static final String INTERNET_MESSAGE_ID = "message:InternetMessageId";
    static final String IS_READ = "message:IsRead";
    static final String DISPLAY_NAME = "folder:DisplayName";
    static final String TOTAL_COUNT = "folder:TotalCount";
    static final String CHILD_FOLDER_COUNT = "folder:ChildFolderCount";
    static final String UNREAD_COUNT = "folder:UnreadCount";

    /** What the simulator models of a message; Default and AllProperties return all of it. */
    private static final String MIME_CONTENT = "item:MimeContent";
    private static final Set<String> ITEM_FIELDS_AND_MIME = Set.of(DATE_TIME_RECEIVED, SIZE, INTERNET_MESSAGE_ID,
            IS_READ, MIME_CONTENT);

    /** What the simulator models of a folder: the Default shape's properties. */
    private static final Set<String> FOLDER_FIELDS = Set.of(DISPLAY_NAME, TOTAL_COUNT, CHILD_FOLDER_COUNT,
            UNREAD_COUNT);

    static PropertySet ofItems(Element itemShape) throws EwsFault {
        boolean includeMime = Dom.child(itemShape, EwsNamespaces.TYPES, "IncludeMimeContent")
                .map(element -> Boolean.parseBoolean(Dom.text(element)))
                .orElse(false);
        // Asking for item:MimeContent as an additional property (as Microsoft's EWS Java API does) is the same as
        // IncludeMimeContent; AllProperties never includes it, as in Exchange.
        Set<String> fields = new HashSet<>(fields(itemShape, ITEM_FIELDS_AND_MIME));
        includeMime |= fields.remove(MIME_CONTENT);
        return new PropertySet(Set.copyOf(fields), includeMime);
    }

    static PropertySet ofFolders(Element folderShape) throws EwsFault {
        return new PropertySet(fields(folderShape, FOLDER_FIELDS), false);
    }

    boolean has(String field) {
        return fields.contains(field);
    }

    private static Set<String> fields(Element shape, Set<String> modelled) throws EwsFault {
        String baseShape = Dom.text(Dom.required(shape, EwsNamespaces.TYPES, "BaseShape"));
        Set<String> fields = switch (baseShape) {
            case "IdOnly" -> new HashSet<>();
            case "Default", "AllProperties" -> new HashSet<>(modelled.stream().filter(f -> !f.equals(MIME_CONTENT)).toList());
            default -> throw EwsFault.schemaValidation("BaseShape '" + baseShape + "' is not valid.");
        };
        Element additional = Dom.child(shape, EwsNamespaces.TYPES, "AdditionalProperties").orElse(null);
        if (additional != null) {
            for (Element path : Dom.children(additional)) {
                String field = Dom.is(path, EwsNamespaces.TYPES, "FieldURI") ? path.getAttribute("FieldURI") : null;
                if (field == null || !modelled.contains(field)) {
                    throw EwsFault.invalidRequest("The simulator does not model the property "
                            + (field == null ? path.getLocalName() : field) + ".");
                }
                fields.add(field);
            }
        }
        return Set.copyOf(fields);
    }
}
