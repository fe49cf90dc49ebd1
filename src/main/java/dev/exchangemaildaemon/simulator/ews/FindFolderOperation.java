package dev.exchangemaildaemon.simulator.ews;

import java.util.List;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.SimFolder;

/** FindFolder: the child folders of each parent (Shallow traversal), optionally those with a given display name. */
final class FindFolderOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        String traversal = Dom.requiredAttribute(request, "Traversal");
        if (!traversal.equals("Shallow")) {
            throw EwsFault.invalidRequest("The simulator supports Shallow traversal only, not " + traversal + ".");
        }
        PropertySet properties = PropertySet.ofFolders(Dom.required(request, EwsNamespaces.MESSAGES, "FolderShape"));
        String displayName = displayNameRestriction(request);
        for (Element id : References.folderIds(Dom.required(request, EwsNamespaces.MESSAGES, "ParentFolderIds"))) {
            try {
                List<SimFolder> found = References.folder(id, context).children().stream()
                        .filter(folder -> displayName == null || folder.displayName().equalsIgnoreCase(displayName))
                        .toList();
                responses.success(xml -> {
                    xml.start("m", "RootFolder")
                            .attribute("TotalItemsInView", Integer.toString(found.size()))
                            .attribute("IncludesLastItemInRange", "true");
                    xml.start("t", "Folders");
                    found.forEach(folder -> FolderXml.folder(xml, folder, properties));
                    xml.end().end();
                });
            } catch (ItemError error) {
                responses.error(error.code());
            }
        }
    }

    /** The display name of an {@code IsEqualTo folder:DisplayName} restriction, or null without a restriction. */
    private static String displayNameRestriction(Element request) throws EwsFault {
        Element restriction = Dom.child(request, EwsNamespaces.MESSAGES, "Restriction").orElse(null);
        if (restriction == null) {
            return null;
        }
        return Restrictions.isEqualToConstant(restriction, PropertySet.DISPLAY_NAME);
    }
}
