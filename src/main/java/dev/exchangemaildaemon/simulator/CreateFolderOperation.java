package dev.exchangemaildaemon.simulator;

import org.w3c.dom.Element;

/** CreateFolder: new mail folders under a parent; a sibling with the same display name is ErrorFolderExists. */
final class CreateFolderOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        Element parentId = Dom.required(request, EwsNamespaces.MESSAGES, "ParentFolderId");
        Element folders = Dom.required(request, EwsNamespaces.MESSAGES, "Folders");
        for (Element folder : Dom.children(folders)) {
            if (!Dom.is(folder, EwsNamespaces.TYPES, "Folder")) {
                throw EwsFault.invalidRequest("The simulator creates mail folders (t:Folder) only.");
            }
            String displayName = Dom.text(Dom.required(folder, EwsNamespaces.TYPES, "DisplayName"));
            try {
                SimFolder parent = References.singleFolder(parentId, context);
                boolean exists = parent.children().stream()
                        .anyMatch(child -> child.displayName().equalsIgnoreCase(displayName));
                if (exists) {
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
