package org.ldrtestbed.fhirserver.input;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.security.OperationOutcomeResponses;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

class RequestSizeLimitTest {

    private final RequestSizeLimit filter =
            new RequestSizeLimit(DataSize.ofBytes(100), new OperationOutcomeResponses(FhirContext.forR4Cached()));
    private final AtomicReference<byte[]> handedOn = new AtomicReference<>();
    private final MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
        @Override
        protected void service(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
                throws java.io.IOException {
            handedOn.set(request.getInputStream().readAllBytes());
        }
    });

    @Test
    void bodyWithinTheLimitIsHandedOn() throws Exception {
        MockHttpServletResponse response = run(request(new byte[100], false));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(handedOn.get()).hasSize(100);
    }

    @Test
    void declaredLengthOverTheLimitIs413WithAnOperationOutcome() throws Exception {
        MockHttpServletResponse response = run(request(new byte[101], false));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString())
                .contains("OperationOutcome")
                .contains("too-costly")
                .contains("testbed.fhir-server.max-request-size");
        assertThat(handedOn.get()).isNull();
    }

    @Test
    void chunkedBodyIsCountedAsItIsRead() throws Exception {
        assertThat(run(request(new byte[101], true)).getStatus()).isEqualTo(413);
        assertThat(handedOn.get()).isNull();

        MockHttpServletResponse within = run(request("{\"resourceType\":\"Patient\"}".getBytes(), true));
        assertThat(within.getStatus()).isEqualTo(200);
        assertThat(new String(handedOn.get())).isEqualTo("{\"resourceType\":\"Patient\"}");
    }

    private MockHttpServletResponse run(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        chain.reset();
        filter.doFilter(request, response, chain);
        return response;
    }

    private static MockHttpServletRequest request(byte[] body, boolean chunked) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fhir/Patient") {
            @Override
            public long getContentLengthLong() {
                return chunked ? -1 : super.getContentLengthLong();
            }
        };
        request.setContent(body);
        if (chunked) {
            request.addHeader("Transfer-Encoding", "chunked");
        }
        return request;
    }
}
