package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlType;

/** One page of results, counted from the start of the view. */
@XmlType(name = "IndexedPageViewType")
public class IndexedPageViewType {

    @XmlAttribute(name = "MaxEntriesReturned")
    private Integer maxEntriesReturned;

    @XmlAttribute(name = "Offset", required = true)
    private int offset;

    @XmlAttribute(name = "BasePoint", required = true)
    private String basePoint = "Beginning";

    IndexedPageViewType() {
    }

    public IndexedPageViewType(int maxEntriesReturned, int offset) {
        this.maxEntriesReturned = maxEntriesReturned;
        this.offset = offset;
    }
}
