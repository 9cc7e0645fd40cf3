package org.ldrtestbed.routes.messagelog;

import java.util.List;
import java.util.Map;

/** Every flow message at every stage, with NHS number, flow code and journey id: searchable through the API. */
public interface MessageLog {

    /** Records a stage of the message described by {@code headers} (the flow headers of {@link FlowHeaders}). */
    void record(Stage stage, Map<String, Object> headers, String detail);

    List<MessageLogEntry> search(MessageQuery query);
}
