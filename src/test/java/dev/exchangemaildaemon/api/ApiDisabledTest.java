package dev.exchangemaildaemon.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Without mail.api.token the API is closed, and says which key opens it. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "api-token", value = "none"))
class ApiDisabledTest {

    @Test
    void everyCallIs403NamingTheKey() {
        given().auth().oauth2("anything").post("/api/check").then().statusCode(403)
                .body("message", containsString("mail.api.token"));
        given().post("/api/test-send").then().statusCode(403);
    }
}
