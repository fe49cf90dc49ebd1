package dev.exchangemaildaemon.simulator.ews;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.ResponseCodes;
import dev.exchangemaildaemon.simulator.SimFolder;

/** CreateFolder: new mail folders under a parent; a sibling with the same display name is ErrorFolderExists. */
final class CreateFolderOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        Element parentId = Dom.required(request, EwsNamespaces.MESSAGES, "ParentFolderId");
        List<String> displayNames = new ArrayList<>();
        for (Element folder : Dom.children(Dom.required(request, EwsNamespaces.MESSAGES, "Folders"))) {
            if (!Dom.is(folder, EwsNamespaces.TYPES, "Folder")) {
                throw EwsFault.invalidRequest("The simulator creates mail folders (t:Folder) only.");
            }
            displayNames.add(Dom.text(Dom.required(folder, EwsNamespaces.TYPES, "DisplayName")));
        }
        for (String displayName : displayNames) {
            try {
                SimFolder parent = References.singleFolder(parentId, context);
                if (parent.child(displayName).isPresent()) {
                    throw new ItemError(ResponseCodes.FOLDER_EXISTS);
                }
                SimFolder created = context.mailbox().createFolder(parent, displayName);
                responses.success(xml -> {
                    xml.start("m", "Folders");
                    FolderXml.folderId(xml, created);
                    xml.end();
                });
            } catch (ItemError error) {
                responses.error(error.code());
            }
        }
    }
}
