package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A fake provider: answers with scripted outcomes in order (the last one repeats) and records every
 * call. Thread-safe.
 */
public final class ScriptedSmsSender implements SmsSender {
  /** One call as seen by the fake. */
  public record Call(String tplId, List<String> args, List<String> numbers) {}

  private final String name;
  private final Deque<Supplier<SmsDelivery>> script = new ArrayDeque<>();
  private Supplier<SmsDelivery> last = () -> SmsDelivery.SENT;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<CallerDeadline> deadlines = new CopyOnWriteArrayList<>();

  public ScriptedSmsSender(String name) {
    this.name = name;
  }

  public static Supplier<SmsDelivery> ok() {
    return () -> SmsDelivery.SENT;
  }

  public static Supplier<SmsDelivery> fail(SmsException.Reason reason) {
    return () -> {
      throw new SmsException(reason, "scripted " + reason);
    };
  }

  /** Appends outcomes; the last one given is repeated once the script is used up. */
  @SafeVarargs
  public final synchronized ScriptedSmsSender then(Supplier<SmsDelivery>... outcomes) {
    for (Supplier<SmsDelivery> o : outcomes) {
      script.addLast(o);
      last = o;
    }
    return this;
  }

  /** Always answers {@code outcome}. */
  public synchronized ScriptedSmsSender always(Supplier<SmsDelivery> outcome) {
    script.clear();
    last = outcome;
    return this;
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    calls.add(new Call(tplId, args, numbers));
    deadlines.add(deadline);
    Supplier<SmsDelivery> next;
    synchronized (this) {
      next = script.isEmpty() ? last : script.pollFirst();
    }
    return next.get();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The caller deadline each call came with, in call order. */
  public List<CallerDeadline> deadlines() {
    return List.copyOf(deadlines);
  }

  public int callCount() {
    return calls.size();
  }

  @Override
  public String toString() {
    return name;
  }
}
