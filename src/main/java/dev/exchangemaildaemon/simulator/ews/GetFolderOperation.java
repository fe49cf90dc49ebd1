package dev.exchangemaildaemon.simulator.ews;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.SimFolder;

/** GetFolder: one response message per folder id. */
final class GetFolderOperation implements EwsOperation {

    @Override
    public void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault {
        PropertySet properties = PropertySet.ofFolders(Dom.required(request, EwsNamespaces.MESSAGES, "FolderShape"));
        for (Element id : References.folderIds(Dom.required(request, EwsNamespaces.MESSAGES, "FolderIds"))) {
            try {
                SimFolder folder = References.folder(id, context);
                responses.success(xml -> {
                    xml.start("m", "Folders");
                    FolderXml.folder(xml, folder, properties);
                    xml.end();
                });
            } catch (ItemError error) {
                responses.error(error.code());
            }
        }
    }
}
