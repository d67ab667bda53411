//! Faults and waits of one endpoint ([`EndpointSettings`]): they override
//! the server's for that endpoint only, and a seed replays them to the
//! same sequence of that endpoint's requests, whatever the others get.

use std::panic::catch_unwind;
use std::time::{Duration, Instant};

use dylive_mock::{EndpointSettings, Fault, FaultMix, MockServer};

mod common;
use common::{fixture, Background};

/// A mix, parsed.
fn mix(text: &str) -> FaultMix {
    text.parse().expect("a mix")
}

/// The statuses of `count` well-formed requests of `name`.
fn statuses(mock: &Background, name: &str, count: usize) -> Vec<u16> {
    (0..count).map(|_| mock.call(name).status).collect()
}

#[test]
fn a_mix_on_one_endpoint_leaves_the_other_endpoints_clean() {
    let mock = Background::start(
        MockServer::builder().endpoint("rank_all", EndpointSettings::new().mix(mix("503=100"))).seed(3),
    );
    assert_eq!(statuses(&mock, "rank_all", 10), [503; 10]);
    for spec in dylive_client::ENDPOINTS.iter().filter(|spec| spec.name != "rank_all") {
        let fixture = dylive_mock::default_fixture(spec.name).expect("a fixture");
        for _ in 0..5 {
            let answer = mock.call(spec.name);
            assert_eq!((answer.status, answer.body.as_slice()), (200, fixture.body), "{}", spec.name);
        }
    }
    // A fault of the endpoint comes before its checks, as the server's do.
    let bare = b"GET /douyin/webcast/rank_all HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert_eq!(mock.send(bare).status, 503);
    let requests = mock.server.received_requests().expect("recorded");
    assert!(requests.iter().all(|r| (r.status == 503) == (r.endpoint == Some("rank_all"))), "{requests:#?}");
}

#[test]
fn an_endpoint_setting_overrides_the_servers_and_the_rest_stay_the_servers() {
    let mock = Background::start(
        MockServer::builder()
            .fault(Fault::Status(500))
            // An empty mix keeps this endpoint free of the server's fault.
            .endpoint("rank_goods", EndpointSettings::new().mix(FaultMix::new()))
            // A fault of its own, instead of the server's.
            .endpoint("liveroom_info", EndpointSettings::new().fault(Fault::Status(502)))
            // A latency of its own, and the server's fault.
            .endpoint("rank_all", EndpointSettings::new().latency(Duration::from_millis(1))),
    );
    assert_eq!(statuses(&mock, "rank_goods", 3), [200; 3]);
    assert_eq!(statuses(&mock, "liveroom_info", 3), [502; 3]);
    assert_eq!(statuses(&mock, "rank_all", 3), [500; 3]);
    assert_eq!(statuses(&mock, "room_ranklist", 3), [500; 3]);

    // The last settings given for an endpoint win.
    let mock = Background::start(
        MockServer::builder()
            .endpoint("rank-all", EndpointSettings::new().fault(Fault::Empty))
            .endpoint("rank_all", EndpointSettings::new()),
    );
    assert_eq!(mock.call("rank_all").text(), fixture("rank_all/documented.json"));
}

#[test]
fn an_endpoint_limit_counts_the_requests_of_that_endpoint() {
    let mock = Background::start(
        MockServer::builder()
            .fault(Fault::Status(503))
            .fault_limit(1)
            .endpoint("liveroom_info", EndpointSettings::new().fault(Fault::Status(429)).fault_limit(2))
            // The server's fault, on the first three requests of this endpoint.
            .endpoint("rank_goods", EndpointSettings::new().fault_limit(3))
            .retry_after(Duration::from_secs(9)),
    );
    assert_eq!(statuses(&mock, "rank_all", 2), [503, 200], "the server's limit counts the server's requests");
    let limited = mock.call("liveroom_info");
    assert_eq!((limited.status, limited.header("retry-after").as_deref()), (429, Some("9")));
    assert_eq!(statuses(&mock, "rank_all", 1), [200]);
    assert_eq!(statuses(&mock, "liveroom_info", 3), [429, 200, 200]);
    assert_eq!(statuses(&mock, "rank_goods", 4), [503, 503, 503, 200]);
}

#[test]
fn latency_of_an_endpoint_is_waited_by_that_endpoint() {
    let slow = Duration::from_millis(250);
    let server_wide = Duration::from_millis(80);
    let mock = Background::start(
        MockServer::builder()
            .latency(server_wide)
            .endpoint("rank_all", EndpointSettings::new().latency(slow).jitter(Duration::from_millis(5))),
    );
    let started = Instant::now();
    assert_eq!(mock.call("rank_all").status, 200);
    assert!(started.elapsed() >= slow, "rank_all took {:?}", started.elapsed());
    // The others keep the server's latency.
    let started = Instant::now();
    assert_eq!(mock.call("rank_goods").status, 200);
    assert!(started.elapsed() >= server_wide, "rank_goods took {:?}", started.elapsed());

    // Only the endpoint given a latency waits for it; the server has none.
    let mock =
        Background::start(MockServer::builder().endpoint("liveroom_info", EndpointSettings::new().latency(slow)));
    let started = Instant::now();
    assert_eq!(mock.call("liveroom_info").status, 200);
    assert!(started.elapsed() >= slow, "liveroom_info took {:?}", started.elapsed());
    assert_eq!(mock.call("rank_all").status, 200);
}

#[test]
fn the_same_seed_replays_a_mix_of_one_endpoint_whatever_the_others_receive() {
    // 50% of 5xx (500, 502, 503 or 504, drawn too) on rank_all; the server
    // has a mix of its own, drawn from its own generator.
    let run = |seed: u64, others: bool| -> Vec<u16> {
        let mock = Background::start(
            MockServer::builder()
                .mix(mix("5xx=30,empty=30"))
                .jitter(Duration::from_millis(2))
                .endpoint("rank_all", EndpointSettings::new().mix(mix("5xx=50")).jitter(Duration::from_millis(2)))
                .seed(seed),
        );
        (0..40)
            .map(|n| {
                if others {
                    for _ in 0..n % 3 {
                        mock.call("rank_goods");
                    }
                }
                mock.call("rank_all").status
            })
            .collect()
    };
    let first = run(21, false);
    assert_eq!(first, run(21, false), "the same seed, the same statuses");
    assert_eq!(first, run(21, true), "the requests of other endpoints in between change nothing");
    assert_ne!(first, run(22, false), "another seed, other statuses");
    assert!(first.iter().all(|s| [200, 500, 502, 503, 504].contains(s)), "{first:?}");
    assert!(first.contains(&200) && first.iter().any(|s| *s >= 500), "{first:?}");
}

#[test]
fn an_unknown_endpoint_name_panics_with_the_names() {
    let result = catch_unwind(|| MockServer::builder().endpoint("rank-everything", EndpointSettings::new()));
    let payload = result.expect_err("no such endpoint");
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("no endpoint named `rank-everything`") && message.contains("rank_all"), "{message}");
}
