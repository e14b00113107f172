/**
 * Input rules that two processes must apply identically because the same user input crosses two
 * boundaries: the BFF checks it to answer with SPEC §2.3's exact messages, and the service that
 * owns the data checks it again because gRPC callers other than the BFF exist. Plain Java (no gRPC,
 * no HTTP), so either side's exposure layer can use it. Depends on nothing else in the platform.
 */
package com.webook.platform.validation;
