package dev.exchangemaildaemon.ews.types;

import java.time.Instant;
import java.time.OffsetDateTime;

import jakarta.xml.bind.annotation.adapters.XmlAdapter;

/** xs:dateTime as EWS writes it, in UTC with a zone designator ({@code 2024-05-01T08:15:00Z}). */
class InstantAdapter extends XmlAdapter<String, Instant> {

    @Override
    public Instant unmarshal(String text) {
        return OffsetDateTime.parse(text.trim()).toInstant();
    }

    @Override
    public String marshal(Instant instant) {
        return instant.toString();
    }
}
