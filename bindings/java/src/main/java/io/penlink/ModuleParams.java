package io.penlink;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sets add-on module parameters for {@link Pen} and {@link PenModule}. */
final class ModuleParams {
    private ModuleParams() {}

    // selector names the module for the SDK ("cooling@2"), name for errors raised here
    // ("cooling.setpoint_c", as the SDK's own errors name it).

    static void setParams(NativePen pen, String selector, String name, Map<String, ?> values) {
        pen.set_params(selector, Convert.paramList(name, values));
    }

    static CompletableFuture<Void> setParamsAsync(NativePen pen, String selector, String name,
            Map<String, ?> values) {
        NativeParamList list;
        try {
            list = Convert.paramList(name, values);
        } catch (PenException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return Completions.submit(done -> pen.set_params_async(selector, list, done));
    }

    static void setParam(NativePen pen, String selector, String name, String key, Object value) {
        Convert.require(key, "parameter key of " + name);
        pen.set_param(selector, key, Convert.paramValue(name + "." + key, value));
    }
}
