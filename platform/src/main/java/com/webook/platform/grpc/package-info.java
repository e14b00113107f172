/**
 * What every gRPC handler and every caller of another service needs around the generated stubs: the
 * translation of a downstream status into the platform's exceptions ({@link
 * com.webook.platform.grpc.DownstreamCalls}, the inverse of {@link
 * com.webook.platform.errors.GrpcErrors}), {@code Timestamp} ↔ {@code Instant} ({@link
 * com.webook.platform.grpc.ProtoTimestamps}) and request checks that answer INVALID_ARGUMENT with a
 * message naming the field ({@link com.webook.platform.grpc.RequestChecks}). Depends on {@code
 * errors} only.
 */
package com.webook.platform.grpc;
