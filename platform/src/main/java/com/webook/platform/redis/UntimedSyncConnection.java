package com.webook.platform.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The process's Redis connection as callers see it: Lettuce's own, except that {@code sync()} waits
 * for a command's answer without a timer.
 *
 * <p>Why: Lettuce's synchronous API waits with a timeout ({@code future.await(timeout)}), and a
 * timed wait on a virtual thread arms a timer in the JDK's scheduler for every command and wakes
 * its thread to cancel it — on the hot read paths (two Redis commands per authenticated BFF
 * request, one per profile read in user-svc) that was ~8 % of each process's CPU (bench/hop.sh).
 * The timeout itself is not lost: {@link Redis} enables Lettuce's {@code TimeoutOptions}, whose
 * expiry writer fails every command that has not answered within {@code redis.commandTimeout}, and
 * a disconnected connection rejects commands at once; so an untimed wait still ends within the
 * command timeout, with the same {@code RedisCommandTimeoutException}.
 *
 * <p>{@code sync()} returns a {@link RedisCommands} whose every method calls the same method of
 * {@code async()} and waits for its future; everything else is the wrapped connection's. Errors
 * surface as Lettuce's synchronous API reports them (the command's own runtime exception;
 * interruption as {@link RedisCommandInterruptedException}). Thread-safe, like the connection.
 */
final class UntimedSyncConnection {
  private UntimedSyncConnection() {}

  /** {@code connection}, with {@code sync()} waiting without a timer. */
  @SuppressWarnings("unchecked")
  static StatefulRedisConnection<String, String> wrap(
      StatefulRedisConnection<String, String> connection) {
    RedisCommands<String, String> sync =
        (RedisCommands<String, String>)
            Proxy.newProxyInstance(
                RedisCommands.class.getClassLoader(),
                new Class<?>[] {RedisCommands.class},
                new UntimedCommands(connection.async()));
    InvocationHandler forwarding =
        (proxy, method, args) -> {
          if (method.getName().equals("sync") && method.getParameterCount() == 0) {
            return sync;
          }
          return invoke(method, connection, args);
        };
    return (StatefulRedisConnection<String, String>)
        Proxy.newProxyInstance(
            StatefulRedisConnection.class.getClassLoader(),
            new Class<?>[] {StatefulRedisConnection.class},
            forwarding);
  }

  /** Each synchronous command: the asynchronous one, then an untimed wait for its answer. */
  private static final class UntimedCommands implements InvocationHandler {
    private final RedisAsyncCommands<String, String> async;
    private final Map<Method, Method> asyncMethods = new ConcurrentHashMap<>();

    UntimedCommands(RedisAsyncCommands<String, String> async) {
      this.async = async;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "UntimedSyncCommands(" + async + ")";
        };
      }
      Method target = asyncMethods.computeIfAbsent(method, UntimedCommands::asyncTwin);
      Object result = UntimedSyncConnection.invoke(target, async, args);
      if (!(result instanceof RedisFuture<?> future)) {
        return result; // e.g. getStatefulConnection(), setTimeout(...)
      }
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RedisCommandInterruptedException(e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new RedisCommandExecutionException(cause);
      }
    }

    private static Method asyncTwin(Method method) {
      try {
        return RedisAsyncCommands.class.getMethod(method.getName(), method.getParameterTypes());
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("Lettuce's async API has no counterpart of " + method, e);
      }
    }
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
