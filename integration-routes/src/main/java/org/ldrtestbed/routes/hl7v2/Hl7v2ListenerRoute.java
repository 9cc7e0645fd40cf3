package org.ldrtestbed.routes.hl7v2;

import org.apache.camel.builder.RouteBuilder;

/**
 * The MLLP listener hospital systems send HL7v2 to. Each message is answered synchronously with the ACK the
 * {@link Hl7v2Ingress} decides; the flows behind it run from their durable queues.
 */
public class Hl7v2ListenerRoute extends RouteBuilder {

    public static final String ROUTE_ID = "hl7v2-listener";

    private final String address;
    private final int port;
    private final Hl7v2Ingress ingress;

    public Hl7v2ListenerRoute(String address, int port, Hl7v2Ingress ingress) {
        this.address = address;
        this.port = port;
        this.ingress = ingress;
    }

    @Override
    public void configure() {
        from("netty:tcp://" + address + ":" + port + "?sync=true&encoders=#hl7encoder&decoders=#hl7decoder")
                .routeId(ROUTE_ID)
                .process(exchange -> exchange.getMessage()
                        .setBody(ingress.accept(exchange.getMessage().getBody(String.class))));
    }
}
